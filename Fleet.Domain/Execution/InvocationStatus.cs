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

/// <summary>
/// The one place an invocation's overall status is computed; every façade projects it (Foreman's
/// integer + label, SysManage words, ...) from here. Foreman: 0 succeeded, 1 failed, 2 queued, 3 running, 4 cancelled.
/// </summary>
public static class InvocationStatus
{
    public static (int Code, string Label) Of(InvocationState state, RunCounts counts)
    {
        if (state == InvocationState.Scheduled) return (2, "queued");
        if (counts.Running + counts.Pending > 0)
            return state == InvocationState.Stopped ? (4, "cancelled") : counts.Running > 0 || counts.Succeeded + counts.Failed > 0 ? (3, "running") : (2, "queued");
        if (counts.Failed > 0) return (1, "failed");
        if (counts.Cancelled > 0 && counts.Succeeded == 0) return (4, "cancelled");
        return (0, "succeeded");
    }

    public static readonly IReadOnlyList<string> Labels = ["succeeded", "failed", "queued", "running", "cancelled"];
}
