using Fleet.Domain.Inventory;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Controls;

/// <summary>A host's installed packages, paged and searched on the server: hosts carry thousands.</summary>
public sealed partial class SoftwareTable
{
    private static readonly int[] PageSizes = [25, 50, 100, 250];

    private MudTable<SoftwarePackage>? _table;
    private string _search = "";
    private int _loadedVersion;

    [Inject] private IFleetReader Reader { get; set; } = default!;

    [Parameter, EditorRequired]
    public Guid HostId { get; set; }

    /// <summary>Bump to make the table fetch its current page again (e.g. after new inventory arrived).</summary>
    [Parameter]
    public int Version { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_table is not null && Version != _loadedVersion)
        {
            _loadedVersion = Version;
            await _table.ReloadServerData();
        }
    }

    private async Task<TableData<SoftwarePackage>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await Reader.SearchSoftwareAsync(HostId, _search.Length > 0 ? _search : null, state.Page, state.PageSize, ct);
        return new TableData<SoftwarePackage> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task OnSearchChangedAsync(string? value)
    {
        _search = value?.Trim() ?? "";
        if (_table is null) return;
        if (_table.CurrentPage > 0)
        {
            _table.NavigateTo(0);
            return;
        }
        await _table.ReloadServerData();
    }
}
