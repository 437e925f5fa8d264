using Fleet.Domain;
using Fleet.Domain.Security;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Fleet.Web.Audit;

namespace Fleet.Web.Components.Pages;

public sealed partial class FleetStatus
{
    private const string AllPlatforms = "";
    private static readonly int[] PageSizes = [10, 25, 50, 100];
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    private MudTable<HostRow>? _table;
    private FleetCounts? _counts;
    private IReadOnlyList<string> _platforms = [];
    private string _search = "";
    private string _platform = AllPlatforms;
    private HostStatusFilter _status = HostStatusFilter.Any;
    private bool _canOperate;
    private Guid? _busyHostId;

    [Inject] private IFleetReader Reader { get; set; } = default!;

    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private IHostOperations Operations { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private bool HasFilters => _search.Length > 0 || _platform != AllPlatforms || _status != HostStatusFilter.Any;

    private IEnumerable<Counter> Counters =>
    [
        new("count-total", "Total hosts", _counts?.Total, Icons.Material.Filled.Dns, Color.Primary),
        new("count-online", "Online", _counts?.Online, Icons.Material.Filled.CheckCircle, Color.Success),
        new("count-offline", "Offline", _counts?.Offline, Icons.Material.Filled.CloudOff, Color.Default),
        new("count-pending", "Pending approval", _counts?.PendingApproval, Icons.Material.Filled.HourglassTop, Color.Warning),
        new("count-errors", "Agents with errors", _counts?.WithErrors, Icons.Material.Filled.ErrorOutline, Color.Error),
    ];

    protected override void OnInitialized() => FollowLiveEvents("the fleet status page", _ => true, RefreshInterval, RefreshAsync);

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var state = await AuthenticationState;
            _canOperate = state.User.IsInRole(Roles.Operator);
        }
        _counts = await Reader.GetCountsAsync(PageClosed);
        _platforms = await Reader.ListPlatformsAsync(PageClosed);
    }

    private async Task RefreshAsync()
    {
        _counts = await Reader.GetCountsAsync(PageClosed);
        _platforms = await Reader.ListPlatformsAsync(PageClosed);
        if (_table is not null) await _table.ReloadServerData();
    }

    private async Task<TableData<HostRow>> LoadHostsAsync(TableState state, CancellationToken ct)
    {
        var sortBy = state.SortDirection != SortDirection.None ? state.SortLabel : null;
        var query = new HostListQuery(
            Search: _search.Length > 0 ? _search : null,
            Platform: _platform != AllPlatforms ? _platform : null,
            Status: _status,
            SortBy: string.IsNullOrEmpty(sortBy) ? "hostname" : sortBy,
            Descending: sortBy is not null && state.SortDirection == SortDirection.Descending,
            Page: state.Page,
            PageSize: state.PageSize);
        var page = await Reader.ListHostsAsync(query, ct);
        return new TableData<HostRow> { Items = page.Items, TotalItems = page.Total };
    }

    private Task OnSearchChangedAsync(string? value)
    {
        _search = value?.Trim() ?? "";
        return ReloadFromFirstPageAsync();
    }

    private Task OnPlatformChangedAsync(string? value)
    {
        _platform = value ?? AllPlatforms;
        return ReloadFromFirstPageAsync();
    }

    private Task OnStatusChangedAsync(HostStatusFilter value)
    {
        _status = value;
        return ReloadFromFirstPageAsync();
    }

    private async Task ReloadFromFirstPageAsync()
    {
        if (_table is null) return;
        if (_table.CurrentPage > 0)
        {
            _table.NavigateTo(0);
            return;
        }
        await _table.ReloadServerData();
    }

    private async Task ApproveAsync(HostRow host)
    {
        if (await RunHostActionAsync("approve host", host, () => Operations.ApproveAsync(host.Id, PageClosed)))
        {
            Snackbar.Add($"{host.Hostname} approved", Severity.Success);
        }
    }

    private async Task RejectAsync(HostRow host)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Reject host",
            $"Reject {host.Hostname}? Its agent will not be allowed to connect.",
            yesText: "Reject",
            cancelText: "Cancel");
        if (confirmed != true) return;

        if (await RunHostActionAsync("reject host", host, () => Operations.RejectAsync(host.Id, PageClosed)))
        {
            Snackbar.Add($"{host.Hostname} rejected", Severity.Info);
        }
    }

    private async Task<bool> RunHostActionAsync(string auditAction, HostRow host, Func<Task> action)
    {
        _busyHostId = host.Id;
        var target = $"host {host.Hostname} ({host.Id})";
        try
        {
            await action();
            await Audit.SucceededAsync(auditAction, target);
            return true;
        }
        catch (Exception ex) when (ex is DomainException or HostNotFoundException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await Audit.FailedAsync(auditAction, target, ex.Message);
            return false;
        }
        finally
        {
            _busyHostId = null;
            // Show the outcome now rather than waiting for the event stream.
            await RefreshAsync();
        }
    }

    private static string PlatformLabel(string? platform) =>
        string.IsNullOrEmpty(platform) ? "All platforms" : platform;

    private static string StatusFilterLabel(HostStatusFilter status) => status switch
    {
        HostStatusFilter.Any => "Any status",
        HostStatusFilter.Pending => "Pending approval",
        HostStatusFilter.Errors => "With errors",
        _ => status.ToString(),
    };

    private sealed record Counter(string Id, string Label, int? Count, string Icon, Color Color)
    {
        public string Value => Count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–";
    }
}
