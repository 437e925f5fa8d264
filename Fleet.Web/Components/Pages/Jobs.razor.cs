using Fleet.Domain.Security;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

public sealed partial class Jobs : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private CallbackThrottler? _refresh;
    private MudTable<InvocationRow>? _table;
    private string _search = "";
    private string _status = "";
    private bool _canOperate;

    [Inject] private IInvocationService Invocations { get; set; } = default!;
    [Inject] private IFleetEvents Events { get; set; } = default!;
    [Inject] private ILogger<Jobs> Logger { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null) _canOperate = (await AuthenticationState).User.IsInRole(Roles.Operator);
        if (!RendererInfo.IsInteractive) return;
        _refresh = new CallbackThrottler(() => InvokeAsync(() => _table?.ReloadServerData() ?? Task.CompletedTask), TimeSpan.FromMilliseconds(500),
            error => Logger.LogWarning(error, "Refreshing the jobs list failed"));
        _ = WatchAsync(_cts.Token);
    }

    private Task WatchAsync(CancellationToken ct) => Events.RefreshOnAsync(e => e.InvocationId is not null, _refresh, Logger, "The jobs page", ct);

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

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _refresh?.Dispose();
        _cts.Dispose();
    }
}
