using System.Globalization;
using Fleet.Domain;
using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Security;
using Fleet.Web.Audit;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Components.Controls;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Fleet.Web.Engine.AgentMaintenance;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

/// <summary>
/// The agents across the fleet: which versions run where, how many hosts lag behind the default package, the packages
/// the server offers, and the agent maintenance tasks (update, roll back, remote install) with their per-host results.
/// </summary>
public sealed partial class Agents
{
    /// <summary>Seed 003 scopes tasks by project; the dashboard has one fleet, recorded under this name.</summary>
    public const string DashboardProject = "fleet";

    // Agents connect, disconnect and update one by one during a rollout: a second of lag keeps the page calm.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private const int HostsShownPerVersion = 20;

    /// <summary>
    /// The engine moves a task on after the target-run event this page also hears and announces nothing itself, so
    /// unfinished rows are re-read this often until it does.
    /// </summary>
    private static readonly TimeSpan OpenTaskPoll = TimeSpan.FromSeconds(3);

    private FleetCounts? _counts;
    private AgentVersionSummary? _summary;
    private IReadOnlyList<AgentVersionCount> _versions = [];
    private List<ChartSeries<double>> _versionSeries = [];
    private string[] _versionLabels = [];
    private string? _hostsOfVersion;
    private TargetPreview? _hostsShown;
    private AgentPackagesPanel? _packagesPanel;
    private AgentInvocationsTable? _invocationsTable;
    private bool _isAdmin;
    private bool _canOperate;
    private string _user = "";
    private string _role = Roles.Viewer;

    [Inject] private IFleetReader Reader { get; set; } = default!;
    [Inject] private IAgentMaintenance Maintenance { get; set; } = default!;
    [Inject] private IInvocationService Invocations { get; set; } = default!;
    [Inject] private IAgentPackages Packages { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private string? DefaultVersion => _summary?.DefaultVersion;

    private IEnumerable<Counter> Counters =>
    [
        new("count-agents", "Agents", _counts?.Total, Icons.Material.Filled.Memory, Color.Primary),
        new("count-versions", "Versions in use", _counts is null ? null : _versions.Count, Icons.Material.Filled.Layers, Color.Info),
        new("count-out-of-date", "Out of date", _summary?.DefaultVersion is null ? null : _summary.OutOfDate, Icons.Material.Filled.Update, Color.Warning),
        new("count-offline", "Offline", _counts?.Offline, Icons.Material.Filled.CloudOff, Color.Default),
    ];

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var user = (await AuthenticationState).User;
            _isAdmin = user.IsInRole(Roles.Admin);
            _canOperate = user.IsInRole(Roles.Operator);
            _user = user.Identity?.Name ?? "";
            _role = _isAdmin ? Roles.Admin : _canOperate ? Roles.Operator : Roles.Viewer;
        }
        await RefreshAsync();
        FollowLiveEvents("the agents page", Concerns, RefreshInterval, RefreshAsync);
        if (RendererInfo.IsInteractive) _ = PollOpenTasksAsync();
    }

    private async Task PollOpenTasksAsync()
    {
        // Taken once: the page's token source is disposed with the page, after it is cancelled.
        var closed = PageClosed;
        try
        {
            using var timer = new PeriodicTimer(OpenTaskPoll);
            while (await timer.WaitForNextTickAsync(closed))
            {
                if (_invocationsTable is { HasUnfinished: true } table) await InvokeAsync(table.ReloadAsync);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Connections and approvals change who runs which agent (an update shows as the agent reconnecting); a task moves
    /// with its engine job's target run.
    /// </summary>
    private static bool Concerns(FleetEvent e) => e.Kind is FleetEventKind.HostOnline or FleetEventKind.HostOffline
        or FleetEventKind.HostApproved or FleetEventKind.HostRejected or FleetEventKind.HostEnrolled or FleetEventKind.HostRevoked
        or FleetEventKind.HostReenrolled or FleetEventKind.InventoryUpdated or FleetEventKind.TargetRunChanged or FleetEventKind.InvocationChanged;

    private async Task RefreshAsync()
    {
        _counts = await Reader.GetCountsAsync(PageClosed);
        _summary = await Maintenance.VersionSummaryAsync(PageClosed);
        ShowVersions(_summary.Versions);
        if (_hostsOfVersion is not null) _hostsShown = await HostsOfAsync(_hostsOfVersion);
        if (_invocationsTable is not null) await _invocationsTable.ReloadAsync();
    }

    private void ShowVersions(IReadOnlyList<AgentVersionCount> versions)
    {
        // Newest first, as the packages list, so the two read side by side.
        _versions = versions.OrderByDescending(v => v.Version, VersionComparer.Instance).ToList();
        _versionLabels = _versions.Select(v => VersionLabel(v.Version)).ToArray();
        _versionSeries = [new() { Name = "Hosts", Data = new ChartData<double>(_versions.Select(v => (double)v.Hosts).ToArray()) }];
    }

    private async Task ToggleHostsOfAsync(string version)
    {
        if (_hostsOfVersion == version)
        {
            _hostsOfVersion = null;
            return;
        }
        _hostsOfVersion = version;
        _hostsShown = null;
        _hostsShown = await HostsOfAsync(version);
    }

    /// <summary>The host search language already filters on the agent version, so the list is the same one a job would target.</summary>
    private Task<TargetPreview> HostsOfAsync(string version) =>
        Invocations.PreviewTargetsAsync(AgentVersionQuery(version), null, HostsShownPerVersion, PageClosed);

    public static string AgentVersionQuery(string version) =>
        $"agent_version = \"{version.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    private static string VersionLabel(string version) => string.IsNullOrEmpty(version) ? "unknown" : version;

    private MaintenanceCaller Caller => new(_user, _role, "user");

    private async Task UpdateAsync()
    {
        var packages = await Packages.ListAsync(PageClosed);
        if (packages.Count == 0)
        {
            Snackbar.Add("There is no agent package to update to: an admin uploads one below first.", Severity.Warning);
            return;
        }
        var dialog = await Dialogs.ShowAsync<AgentUpdateDialog>("Update agents", new DialogParameters<AgentUpdateDialog>
        {
            { d => d.Packages, packages },
            { d => d.DefaultVersion, DefaultVersion },
            { d => d.Caller, Caller },
        }, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false });
        if (await dialog.Result is { Canceled: false, Data: IReadOnlyList<BatchCreateResult> results }) await ReportAsync("Update", results);
    }

    private async Task RemoteInstallAsync()
    {
        var dialog = await Dialogs.ShowAsync<RemoteInstallDialog>("Install agents over SSH",
            new DialogParameters<RemoteInstallDialog> { { d => d.Caller, Caller } },
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, BackdropClick = false });
        await dialog.Result;
        await RefreshAsync();
    }

    private async Task RollBackAsync(AgentInvocationView task)
    {
        if (!await Dialogs.ConfirmAsync($"Roll back the agent on {task.InstanceName}?",
                $"The agent on {task.InstanceName} restarts, going back from {task.VersionAfter ?? task.TargetVersion} to {task.VersionBefore ?? "its previous version"}.",
                "Roll back 1 host")) return;
        await RunAsync("Roll back", AgentInvocationType.Rollback, task);
    }

    private async Task RetryAsync(AgentInvocationView task)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Retry",
            $"Run the {task.Type.Word()} on {task.InstanceName} again?", yesText: "Retry 1 host", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync("Retry", AgentInvocationType.Retry, task);
    }

    private async Task RunAsync(string action, AgentInvocationType type, AgentInvocationView task)
    {
        var request = new AgentInvocationRequest(DashboardProject, type, [], [task.InvocationId], null, null, null, []);
        try
        {
            var results = await Maintenance.BatchCreateAsync(request, Caller, PageClosed);
            await ReportAsync(action, results);
        }
        catch (Exception ex) when (ex is DomainException or UnauthorizedAccessException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await Audit.FailedAsync($"{action.ToLowerInvariant()} agent", $"agent task {task.InvocationId}", ex.Message);
        }
    }

    /// <summary>Says how many tasks started and why any host was refused; the table shows the rest live.</summary>
    private async Task ReportAsync(string action, IReadOnlyList<BatchCreateResult> results)
    {
        var started = results.Count(r => r.Succeeded);
        var refused = results.Where(r => !r.Succeeded).ToList();
        if (action != "Update") await Audit.SucceededAsync($"{action.ToLowerInvariant()} agent", string.Join(", ", results.Select(r => r.InvocationId ?? r.InstanceId)));
        Snackbar.Add(refused.Count == 0 ? $"{action}: {started} task{(started == 1 ? "" : "s")} started"
            : $"{action}: {started} started, {refused.Count} refused — {string.Join("; ", refused.Take(3).Select(r => r.ErrorMessage))}",
            refused.Count == 0 ? Severity.Success : Severity.Warning);
        await RefreshAsync();
    }

    /// <summary>A new default changes which hosts are out of date.</summary>
    private Task OnPackagesChanged(IReadOnlyList<AgentPackage> packages) => RefreshAsync();

    private sealed record Counter(string Id, string Label, int? Count, string Icon, Color Color)
    {
        public string Value => Count?.ToString(CultureInfo.InvariantCulture) ?? "–";
    }
}
