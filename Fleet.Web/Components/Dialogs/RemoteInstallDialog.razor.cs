using System.Net;
using System.Net.Sockets;
using Fleet.Domain;
using Fleet.Domain.AgentMaintenance;
using Fleet.Web.Audit;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.AgentMaintenance;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>
/// Installs the agent on machines without one: an online host is designated the installer (SET_REMOTE_INSTALL_HOST),
/// its agent reaches each machine over SSH with the password or key given here (REMOTE_INSTALL), and the dialog then
/// follows each machine's task live until its new agent is connected. The credential goes to the engine once and is
/// cleared from the dialog as soon as it is sent.
/// </summary>
public sealed partial class RemoteInstallDialog
{
    public const int MaxSecretLength = 3000;

    /// <summary>
    /// The engine moves a task on after the target-run event this dialog also hears, and announces nothing itself, so a
    /// refresh on that event can read the status just before it changes. Until the engine publishes its own event,
    /// unfinished tasks are also re-read this often.
    /// </summary>
    private static readonly TimeSpan OpenTaskPoll = TimeSpan.FromSeconds(2);

    private readonly List<RemoteTarget> _targets = [new()];
    private IReadOnlyList<HostRow> _onlineHosts = [];
    private Guid? _installerId;
    private Guid? _currentInstallerId;
    private bool _usePem;
    private string? _secret;
    private bool _tried;
    private bool _busy;
    private string? _error;
    private List<ProgressEntry>? _progress;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject] private IFleetReader Reader { get; set; } = default!;
    [Inject] private IAgentMaintenance Maintenance { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;

    [Parameter] public MaintenanceCaller Caller { get; set; } = new("", "");

    private string? SecretError => SecretErrorOf(_secret, _usePem);

    private int Finished => _progress?.Count(p => p.IsFinal) ?? 0;
    private int Failed => _progress?.Count(p => p.IsFinal && p.Tracked?.Status != AgentInvocationStatus.Succeeded) ?? 0;
    private bool AllFinished => _progress is not null && Finished == _progress.Count;
    private double FinishedPercent => _progress is { Count: > 0 } progress ? 100.0 * Finished / progress.Count : 0;

    private string SummaryText => AllFinished
        ? $"Done: {Finished - Failed} of {_progress!.Count} installed and online{(Failed > 0 ? $", {Failed} failed" : "")}."
        : $"{Finished} of {_progress!.Count} finished; each ends once its new agent is connected.";

    public static string? SecretErrorOf(string? secret, bool usePem) =>
        string.IsNullOrEmpty(secret) ? (usePem ? "Paste the private key." : "Enter the password.")
        : secret.Length > MaxSecretLength ? $"At most {MaxSecretLength} characters (an ed25519 or ECDSA key fits)."
        : usePem && !secret.Contains("PRIVATE KEY", StringComparison.Ordinal) ? "This does not look like a PEM private key (-----BEGIN … PRIVATE KEY-----)."
        : null;

    protected override async Task OnInitializedAsync()
    {
        var installer = await Maintenance.CurrentInstallerAsync(PageClosed);
        _currentInstallerId = installer?.HostId;
        var online = await Reader.ListHostsAsync(new HostListQuery(Status: HostStatusFilter.Online, PageSize: 200), PageClosed);
        _onlineHosts = online.Items;
        _installerId = installer is { Online: true } ? installer.HostId : _onlineHosts.FirstOrDefault()?.Id;
        FollowLiveEvents("the remote install dialog", Concerns, TimeSpan.FromMilliseconds(500), RefreshProgressAsync);
    }

    /// <summary>A task moves with its target run; it succeeds when the new agent enrols and connects.</summary>
    private static bool Concerns(FleetEvent e) => e.Kind is FleetEventKind.TargetRunChanged or FleetEventKind.InvocationChanged
        or FleetEventKind.HostEnrolled or FleetEventKind.HostApproved or FleetEventKind.HostOnline;

    private string InstallerLabel(Guid? id) =>
        id is null ? "" : _onlineHosts.FirstOrDefault(h => h.Id == id)?.Hostname ?? id.ToString()!;

    private void AddTarget() => _targets.Add(new RemoteTarget { User = _targets[^1].User, Port = _targets[^1].Port });

    private void Cancel() => MudDialog.Cancel();

    private void Close() => MudDialog.Close(DialogResult.Ok(_progress?.Count ?? 0));

    private async Task InstallAsync()
    {
        _tried = true;
        _error = _installerId is null ? "Choose the installer host."
            : _targets.Select(t => t.Error).FirstOrDefault(e => e is not null) ?? SecretError;
        if (_error is not null || _installerId is not { } installerId) return;

        _busy = true;
        try
        {
            if (installerId != _currentInstallerId)
            {
                var designation = await Maintenance.BatchCreateAsync(new AgentInvocationRequest(Agents.DashboardProject, AgentInvocationType.SetRemoteInstallHost,
                    [installerId.ToString("D")], [], null, null, null, []), Caller, PageClosed);
                if (designation.FirstOrDefault(r => !r.Succeeded) is { } refused)
                {
                    _error = $"{InstallerLabel(installerId)} cannot be the installer: {refused.ErrorMessage}";
                    return;
                }
                _currentInstallerId = installerId;
                await Audit.SucceededAsync("set remote install host", $"host {InstallerLabel(installerId)} ({installerId})");
            }

            var machines = _targets.Select(t => new RemoteInstallHost(t.Name?.Trim() is { Length: > 0 } name ? name : null, t.Address!.Trim(),
                t.User?.Trim() is { Length: > 0 } user ? user : null, t.Port, _secret, _usePem)).ToList();
            // The credential leaves the dialog here: nothing on screen or in this component holds it any longer.
            _secret = null;
            var results = await Maintenance.BatchCreateAsync(new AgentInvocationRequest(Agents.DashboardProject, AgentInvocationType.RemoteInstall,
                [], [], null, null, null, machines), Caller, PageClosed);
            await Audit.SucceededAsync("remote install agents", string.Join(", ", machines.Select(m => $"{m.InstanceName ?? m.RemoteIp} ({m})")));
            _progress = machines.Select((m, i) => new ProgressEntry(m.InstanceName ?? m.RemoteIp!, $"{m.UserName ?? "root"}@{m.RemoteIp}:{m.Port}",
                results.ElementAtOrDefault(i) is { Succeeded: true, InvocationId: { } id } ? id : null,
                results.ElementAtOrDefault(i) is { Succeeded: false } refused ? refused.ErrorMessage ?? "refused" : null)).ToList();
            await RefreshProgressAsync();
            _ = PollUntilFinishedAsync();
        }
        catch (Exception ex) when (ex is DomainException or UnauthorizedAccessException)
        {
            _error = ex.Message;
            await Audit.FailedAsync("remote install agents", $"{_targets.Count} machines", ex.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RefreshProgressAsync()
    {
        if (_progress is null) return;
        foreach (var entry in _progress.Where(p => p.InvocationId is not null && !p.IsFinal))
            entry.Tracked = await Maintenance.GetAsync(entry.InvocationId!, PageClosed);
    }

    private async Task PollUntilFinishedAsync()
    {
        // Taken once: the page's token source is disposed with the dialog, after it is cancelled.
        var closed = PageClosed;
        try
        {
            using var timer = new PeriodicTimer(OpenTaskPoll);
            while (!AllFinished && await timer.WaitForNextTickAsync(closed))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshProgressAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One machine of the form; errors as seed 003's rules for <c>remote_install_meta</c> state them.</summary>
    public sealed class RemoteTarget
    {
        public string? Name { get; set; }
        public string? Address { get; set; }
        public int Port { get; set; } = RemoteInstallHost.DefaultPort;
        public string? User { get; set; } = "root";

        public string? NameError => Name?.Trim() is { Length: > 128 } ? "At most 128 characters." : null;

        public string? AddressError =>
            string.IsNullOrWhiteSpace(Address) ? "Enter the machine's IPv4 address."
            : IPAddress.TryParse(Address.Trim(), out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork && Address.Trim().Length <= 15
              && Address.Trim().All(c => char.IsAsciiDigit(c) || c == '.') ? null
            : "An IPv4 address like 192.0.2.10.";

        public string? UserError => User?.Trim() is { Length: > 16 } ? "At most 16 characters." : null;

        public string? PortError => Port is < 1 or > 65535 ? "A port is 1 to 65535." : null;

        public string? Error => AddressError ?? NameError ?? UserError ?? PortError;
    }

    private sealed class ProgressEntry(string name, string address, string? invocationId, string? refusedBecause)
    {
        public string Name { get; } = name;
        public string Address { get; } = address;
        public string? InvocationId { get; } = invocationId;
        public string? RefusedBecause { get; } = refusedBecause;
        public AgentInvocationView? Tracked { get; set; }

        public bool IsFinal => InvocationId is null || Tracked?.Status is AgentInvocationStatus.Succeeded or AgentInvocationStatus.Failed
            or AgentInvocationStatus.Timeout or AgentInvocationStatus.Rollbacked;
    }
}
