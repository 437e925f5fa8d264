using Fleet.Domain.Security;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

public sealed partial class Jobs
{
    private MudTable<InvocationRow>? _table;
    private string _search = "";
    private string _status = "";
    private bool _canOperate;

    [Inject] private IInvocationService Invocations { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null) _canOperate = (await AuthenticationState).User.IsInRole(Roles.Operator);
        FollowLiveEvents("the jobs list", e => e.InvocationId is not null, TimeSpan.FromMilliseconds(500), () => _table?.ReloadServerData() ?? Task.CompletedTask);
    }

    private async Task<TableData<InvocationRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await Invocations.ListAsync(new InvocationListQuery(_search, _status.Length == 0 ? null : _status, state.Page, state.PageSize), ct);
        return new TableData<InvocationRow> { Items = page.Items, TotalItems = page.Total };
    }

    private Task OnSearchChanged(string? search)
    {
        _search = search ?? "";
        return _table?.ReloadServerData() ?? Task.CompletedTask;
    }

    private Task OnStatusChanged(string? status)
    {
        _status = status ?? "";
        return _table?.ReloadServerData() ?? Task.CompletedTask;
    }

    private static double Percent(InvocationRow row) => row.Total == 0 ? 0 : 100.0 * (row.Succeeded + row.Failed + row.Cancelled) / row.Total;
}
