using Fleet.Agent.Execution;
using Fleet.Domain.Execution;

namespace Fleet.Agent.Maintenance;

/// <summary>
/// The agent's side of a version switch, once the launcher has started the next process. Before connecting it journals a
/// switch the launcher rolled back (a failure with the launcher's reason), and holds the command of a switch to this very
/// version. Once the server has accepted this version it tells the launcher (the health marker) and only then journals the
/// switch as a success: a version that never connects can never report that it worked. The ordinary replay of unacknowledged
/// results then reports either, and a re-send of the command by the server is answered from the journal, never run again.
/// </summary>
public sealed class LauncherHandover(LauncherLayout layout, CommandExecutor executor)
{
    private HandoverRequest? _pending;

    /// <summary>Before the first connection.</summary>
    public void BeforeConnecting()
    {
        if (layout.ReadReport() is { } report)
        {
            var verb = report.Kind == "rollback" ? "rolling back" : "updating";
            executor.RecordHandedOverOutcome(report.CommandId, CommandStatus.Failure, $"rolled back to {report.From}: {report.Reason}",
                $"[fleet-agent] {verb} to {report.To} failed: {report.Reason}; the launcher switched back to {report.From}.");
            layout.DeleteReport();
        }
        if (layout.ReadRequest() is { } request && request.To == layout.CurrentVersion)
        {
            _pending = request;
            executor.Hold(request.CommandId);
        }
    }

    /// <summary>Each time the server accepts this agent, before unacknowledged results are replayed.</summary>
    public void OnAccepted()
    {
        layout.WriteHealth();
        if (Interlocked.Exchange(ref _pending, null) is not { } request) return;
        var done = request.Kind == "rollback" ? $"rolled back from {request.From} to {request.To}" : $"updated from {request.From} to {request.To}";
        executor.RecordHandedOverOutcome(request.CommandId, CommandStatus.Success, null, $"[fleet-agent] {done}; the server accepted version {request.To}.");
        executor.Release(request.CommandId);
    }
}
