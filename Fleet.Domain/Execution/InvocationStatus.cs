namespace Fleet.Domain.Execution;

/// <summary>How many of an invocation's target runs are in each bucket Foreman reports.</summary>
public sealed record RunCounts(int Succeeded, int Failed, int Cancelled, int Running, int Pending)
{
    public int Total => Succeeded + Failed + Cancelled + Running + Pending;

    /// <summary>Runs that reached an end (succeeded, failed or cancelled).</summary>
    public int Finished => Succeeded + Failed + Cancelled;

    public static RunCounts From(IEnumerable<TargetRunStatus> statuses) => From(statuses.Select(s => (s, 1)));

    /// <summary>From grouped counts, as a GROUP BY status returns them.</summary>
    public static RunCounts From(IEnumerable<(TargetRunStatus Status, int Count)> tallies)
    {
        int succeeded = 0, failed = 0, cancelled = 0, running = 0, pending = 0;
        foreach (var (status, count) in tallies)
        {
            switch (status)
            {
                case TargetRunStatus.Success: succeeded += count; break;
                case TargetRunStatus.Failure or TargetRunStatus.Timeout or TargetRunStatus.Invalid: failed += count; break;
                case TargetRunStatus.Cancelled: cancelled += count; break;
                case TargetRunStatus.Dispatched or TargetRunStatus.Running or TargetRunStatus.Complete: running += count; break;
                default: pending += count; break;
            }
        }
        return new RunCounts(succeeded, failed, cancelled, running, pending);
    }
}

/// <summary>An invocation's overall status, as the dashboard and every façade project it.</summary>
public enum InvocationOutcome
{
    Succeeded = 0,
    Failed = 1,
    Queued = 2,
    Running = 3,
    Cancelled = 4,
}

/// <summary>
/// The one place an invocation's overall status is computed; every façade projects it (Foreman's
/// integer + label, SysManage words, ...) from the <see cref="InvocationOutcome"/> this returns.
/// </summary>
public static class InvocationStatus
{
    public static InvocationOutcome Of(InvocationState state, RunCounts counts)
    {
        if (state == InvocationState.Scheduled) return InvocationOutcome.Queued;
        if (counts.Running + counts.Pending > 0)
            return state == InvocationState.Stopped ? InvocationOutcome.Cancelled
                : counts.Running > 0 || counts.Succeeded + counts.Failed > 0 ? InvocationOutcome.Running : InvocationOutcome.Queued;
        if (counts.Failed > 0) return InvocationOutcome.Failed;
        if (counts.Cancelled > 0 && counts.Succeeded == 0) return InvocationOutcome.Cancelled;
        return InvocationOutcome.Succeeded;
    }

    /// <summary>The word the dashboard shows and filters by: succeeded, failed, queued, running, cancelled.</summary>
    public static string Label(this InvocationOutcome outcome) => outcome switch
    {
        InvocationOutcome.Succeeded => "succeeded",
        InvocationOutcome.Failed => "failed",
        InvocationOutcome.Queued => "queued",
        InvocationOutcome.Running => "running",
        _ => "cancelled",
    };

    public static InvocationOutcome? ParseLabel(string? label) =>
        Enum.GetValues<InvocationOutcome>().Cast<InvocationOutcome?>().FirstOrDefault(o => o!.Value.Label() == label?.Trim().ToLowerInvariant());

    public static readonly IReadOnlyList<string> Labels = Enum.GetValues<InvocationOutcome>().Select(o => o.Label()).ToList();
}
