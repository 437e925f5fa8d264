using Fleet.Domain;
using Fleet.Domain.Hosts;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Orchestration;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Fleet.Web.Audit;

namespace Fleet.Web.Components.Dialogs;

public enum RebootMode
{
    Plain,
    Orchestrated,
}

/// <summary>What a reboot result means to the caller: an orchestration to follow, or a plain reboot job.</summary>
public sealed record RebootDialogResult(Guid? OrchestrationId, long? InvocationId);

/// <summary>
/// The reboot pre-check: the host's running child hosts, and the choice between a plain reboot (force, delay,
/// message) and an orchestrated one, offered only when the licence and the host allow it. Nothing is chosen for
/// the operator, and a plain reboot (which takes the children down without care) needs the hostname typed.
/// </summary>
public sealed partial class RebootDialog
{
    private RebootPreCheck? _check;
    private RebootMode? _mode;
    private string? _typedHostname;
    private bool _force;
    private int _delaySeconds;
    private string? _message;
    private string? _error;
    private bool _busy;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject] private IRebootOrchestrations Orchestrations { get; set; } = default!;

    [Inject] private IPowerService Power { get; set; } = default!;

    [Inject] private IDashboardAudit Audit { get; set; } = default!;

    [Parameter] public Guid HostId { get; set; }

    /// <summary>The signed-in user, recorded as who initiated the reboot.</summary>
    [Parameter] public string User { get; set; } = "";

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _check = await Orchestrations.PreCheckAsync(HostId);
        }
        catch (HostNotFoundException ex)
        {
            _error = ex.Message;
        }
    }

    private bool CanConfirm => _check is not null && !_busy && _mode switch
    {
        RebootMode.Orchestrated => _check.OrchestrationBlockedReason is null,
        RebootMode.Plain => string.Equals(_typedHostname?.Trim(), _check.Hostname, StringComparison.Ordinal),
        _ => false,
    };

    private void Cancel() => MudDialog.Cancel();

    private async Task ConfirmAsync()
    {
        if (!CanConfirm) return;
        _busy = true;
        _error = null;
        try
        {
            if (_mode == RebootMode.Orchestrated)
            {
                var started = await Orchestrations.StartAsync(HostId, User);
                await Audit.SucceededAsync("start orchestrated reboot", $"host {HostId} → orchestration {started.Id}");
                MudDialog.Close(DialogResult.Ok(new RebootDialogResult(started.Id, null)));
            }
            else
            {
                var requested = await Power.RequestAsync(HostId, new PowerOrder(PowerKind.Reboot, _force, _delaySeconds, _message), User);
                await Audit.SucceededAsync("reboot host", $"host {HostId} → invocation {requested.InvocationId}");
                MudDialog.Close(DialogResult.Ok(new RebootDialogResult(null, requested.InvocationId)));
            }
        }
        catch (Exception ex) when (ex is DomainException or LicenseRequiredException or HostNotFoundException)
        {
            _error = ex.Message;
            await Audit.FailedAsync(_mode == RebootMode.Orchestrated ? "start orchestrated reboot" : "reboot host", $"host {HostId}", ex.Message);
        }
        finally
        {
            _busy = false;
        }
    }
}
