using Fleet.Web.Audit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

public sealed partial class AuditTrail
{
    private MudTable<AuditItem>? _table;
    private string? _search;

    [Inject] private IAuditLog Audit { get; set; } = default!;

    private async Task<TableData<AuditItem>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await Audit.SearchAsync(_search, state.PageSize, state.Page * state.PageSize, ct);
        return new TableData<AuditItem> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task OnSearchChangedAsync(string? value)
    {
        _search = value;
        if (_table is not null) await _table.ReloadServerData();
    }
}
