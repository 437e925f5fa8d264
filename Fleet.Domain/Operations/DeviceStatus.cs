using Fleet.Domain.Execution;

namespace Fleet.Domain.Operations;

/// <summary>Seed 000's progress block while a device runs.</summary>
public sealed record OperationDetails(int TotalTasks, int CompletedTasks, string? CurrentTask);

/// <summary>Where one device of an operation stands, in seed 000's words.</summary>
/// <param name="Status">scheduled, pending, running, completed, failed or cancelled.</param>
public sealed record DeviceStatus(string Status, int Progress, OperationDetails? Details, bool Finished)
{
    /// <summary>How a finished device's run ended: success, cancelled or failure.</summary>
    public string Outcome => Status switch { "completed" => "success", "cancelled" => "cancelled", _ => "failure" };

    /// <summary>
    /// The projection of a device's latest target run (null when its operation has not run it yet) onto seed 000's
    /// vocabulary. A failed attempt that will be retried reads as pending, not failed: the operation is not done with it.
    /// </summary>
    public static DeviceStatus Of(TargetRunStatus? run, OperationOutput output, bool retryFollows)
    {
        if (run is null) return new DeviceStatus("scheduled", 0, null, false);
        var status = run.Value switch
        {
            TargetRunStatus.Pending or TargetRunStatus.Queued => "pending",
            TargetRunStatus.Success => "completed",
            TargetRunStatus.Cancelled => "cancelled",
            TargetRunStatus.Failure or TargetRunStatus.Timeout or TargetRunStatus.Invalid => retryFollows ? "pending" : "failed",
            _ => "running",
        };
        var total = Math.Max(output.TotalTasks ?? 1, output.Tasks.Count);
        if (status == "running")
        {
            // A task is complete once the next one began; the current one is still under way.
            var completed = Math.Max(0, output.Tasks.Count - 1);
            var progress = (int)Math.Round(100.0 * completed / total);
            return new DeviceStatus(status, Math.Clamp(progress, 0, 99), new OperationDetails(total, completed, output.Tasks.LastOrDefault()), false);
        }
        var finished = status is "completed" or "failed" or "cancelled";
        return new DeviceStatus(status, finished ? 100 : 0, null, finished);
    }
}
