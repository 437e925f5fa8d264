using Fleet.Domain;
using Fleet.Domain.Security;
using Fleet.Web.Components.Dialogs;
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
    /// <summary>The job wizard receives the chosen hosts in its address, which must stay short.</summary>
    private const int MaxHostsForWizard = 100;
    /// <summary>Chosen hosts by id, kept across pages, filters and live refreshes (rows are reloaded as new objects).</summary>
    private readonly Dictionary<Guid, HostRow> _selected = [];
    private IReadOnlyList<HostRow> _pageRows = [];
    private bool _bulkBusy;

    [Inject] private IFleetReader Reader { get; set; } = default!;

    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private IHostOperations Operations { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

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
        _pageRows = page.Items;
        // Keep the newest state of selected rows (an approved host is no longer pending).
        foreach (var row in page.Items.Where(r => _selected.ContainsKey(r.Id))) _selected[row.Id] = row;
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
        if (!await Dialogs.ConfirmAsync($"Reject {host.Hostname}?",
                $"The agent of {host.Hostname} will not be allowed to connect.", $"Reject {host.Hostname}")) return;

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

    private int SelectedPending => _selected.Values.Count(h => h.Status == "pending");

    /// <summary>Checked when every row on the page is chosen, unchecked when none is, undetermined in between.</summary>
    private bool? PageSelection
    {
        get
        {
            var chosen = _pageRows.Count(r => _selected.ContainsKey(r.Id));
            return chosen == 0 ? false : chosen == _pageRows.Count ? true : null;
        }
    }

    private void Select(HostRow host, bool on)
    {
        if (on) _selected[host.Id] = host;
        else _selected.Remove(host.Id);
    }

    private void SelectPage(bool? on)
    {
        // From "some" a click chooses them all, as in a mail client.
        var choose = on != false || PageSelection is null;
        foreach (var row in _pageRows) Select(row, choose);
    }

    private void ClearSelection() => _selected.Clear();

    private void RunJobOnSelection()
    {
        if (_selected.Count is 0 or > MaxHostsForWizard) return;
        Navigation.NavigateTo($"/jobs/new?hosts={string.Join(',', _selected.Keys)}");
    }

    private async Task RefreshSelectionAsync()
    {
        _bulkBusy = true;
        var target = $"{_selected.Count} hosts";
        try
        {
            var refresh = await Operations.RequestInventoryAsync(_selected.Keys.ToList(), Fleet.Domain.Inventory.InventorySections.All, PageClosed);
            var queued = refresh.Results.Count(r => r.Outcome == InventoryRequestOutcome.Queued);
            var refused = refresh.Results.Count(r => r.Outcome is InventoryRequestOutcome.NotApproved or InventoryRequestOutcome.NotFound);
            await Audit.SucceededAsync("refresh inventory", target);
            Snackbar.Add($"Inventory asked of {refresh.RequestsSent} host(s)" +
                         (queued > 0 ? $"; {queued} offline, asked when they reconnect" : "") +
                         (refused > 0 ? $"; {refused} not approved, skipped" : ""), Severity.Info);
        }
        finally
        {
            _bulkBusy = false;
        }
    }

    private async Task ApproveSelectionAsync()
    {
        var pending = _selected.Values.Where(h => h.Status == "pending").ToList();
        if (pending.Count == 0) return;
        var names = string.Join(", ", pending.Take(5).Select(h => h.Hostname)) + (pending.Count > 5 ? $" and {pending.Count - 5} more" : "");
        var confirmed = await Dialogs.ShowMessageBoxAsync("Approve hosts", $"Approve {pending.Count} pending host(s)? Their agents may then receive commands: {names}.",
            yesText: $"Approve {pending.Count}", cancelText: "Cancel");
        if (confirmed != true) return;
        _bulkBusy = true;
        var approved = 0;
        try
        {
            foreach (var host in pending)
            {
                try
                {
                    await Operations.ApproveAsync(host.Id, PageClosed);
                    await Audit.SucceededAsync("approve host", $"host {host.Hostname} ({host.Id})");
                    approved++;
                }
                catch (Exception ex) when (ex is DomainException or HostNotFoundException)
                {
                    await Audit.FailedAsync("approve host", $"host {host.Hostname} ({host.Id})", ex.Message);
                    Snackbar.Add($"{host.Hostname}: {ex.Message}", Severity.Error);
                }
            }
            Snackbar.Add($"{approved} of {pending.Count} host(s) approved", approved == pending.Count ? Severity.Success : Severity.Warning);
        }
        finally
        {
            _bulkBusy = false;
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
