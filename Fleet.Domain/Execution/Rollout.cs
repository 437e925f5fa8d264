namespace Fleet.Domain.Execution;

/// <summary>How far one wave's target runs are: all of them, and those not yet final.</summary>
public sealed record WaveCounts(int Total, int Unfinished);

/// <summary>What <see cref="Rollout.Advance"/> decided; the engine queues or cancels the target runs it names.</summary>
/// <param name="Started">A wave that starts now: queue its pending target runs.</param>
/// <param name="HaltReason">Set when the failure threshold was reached now: cancel every target run not yet sent, with this reason.</param>
/// <param name="NextStartAt">When a paused wave becomes due (the engine should look again then).</param>
public sealed record RolloutStep(StageRun? Started, string? HaltReason, DateTimeOffset? NextStartAt)
{
    public bool Changed { get; init; }
}

/// <summary>
/// Moves an invocation's waves forward: completes a running wave whose target runs are all final,
/// halts the waves not started once the failure threshold is reached, and starts the next wave —
/// at once, or after the pause between waves. Pure: the engine supplies the counts and persists the result.
/// </summary>
public static class Rollout
{
    public static RolloutStep Advance(IReadOnlyList<StageRun> stages, IReadOnlyDictionary<Guid, WaveCounts> counts, int failed, int targets,
        FailureThreshold? threshold, TimeSpan pause, bool alreadyHalted, DateTimeOffset now)
    {
        var changed = Settle(stages, counts, now);
        var ordered = stages.OrderBy(s => s.Index).ToList();

        if (!alreadyHalted && threshold is not null && threshold.IsReached(failed, targets))
        {
            var reason = $"Rollout halted: {threshold.Describe()} reached ({failed} of {targets} failed).";
            foreach (var stage in ordered.Where(s => s.State == StageRunState.Waiting)) stage.Halt(now, reason);
            return new RolloutStep(null, reason, null) { Changed = true };
        }

        if (ordered.Any(s => s.State == StageRunState.Running)) return new RolloutStep(null, null, null) { Changed = changed };
        var next = ordered.FirstOrDefault(s => s.State == StageRunState.Waiting);
        if (next is null) return new RolloutStep(null, null, null) { Changed = changed };

        var previous = ordered.LastOrDefault(s => s.Index < next.Index && s.State == StageRunState.Completed);
        if (next.StartsAt is null && previous is not null && pause > TimeSpan.Zero)
        {
            next.ScheduleStart((previous.EndedAt ?? now) + pause);
            changed = true;
        }
        if (!next.IsDue(now)) return new RolloutStep(null, null, next.StartsAt) { Changed = changed };
        next.Start(now);
        return new RolloutStep(next, null, null) { Changed = true };
    }

    /// <summary>Completes the running waves whose target runs are all final. True when one was.</summary>
    public static bool Settle(IEnumerable<StageRun> stages, IReadOnlyDictionary<Guid, WaveCounts> counts, DateTimeOffset now)
    {
        var changed = false;
        foreach (var stage in stages.Where(s => s.State == StageRunState.Running))
        {
            if (counts.GetValueOrDefault(stage.Id) is { Unfinished: > 0 }) continue;
            stage.Complete(now);
            changed = true;
        }
        return changed;
    }

    /// <summary>Cancelling the whole invocation halts the waves that have not started.</summary>
    public static void HaltWaiting(IEnumerable<StageRun> stages, DateTimeOffset now, string reason)
    {
        foreach (var stage in stages.Where(s => s.State == StageRunState.Waiting)) stage.Halt(now, reason);
    }
}
