using Fleet.Domain.Execution;

namespace Fleet.Web.Engine;

/// <param name="State">waiting | running | completed | halted.</param>
public sealed record WaveView(Guid StageRunId, int Index, string State, int Size, RunCounts Tally, DateTimeOffset? StartsAt,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? HaltReason);

/// <param name="State">scheduled | running | stopped.</param>
public sealed record RolloutView(long InvocationId, string Description, string StatusLabel, string State, string? Waves, string? FailureThreshold,
    int? WavePauseSeconds, string? HaltReason, string? CancelReason, RunCounts Tally, IReadOnlyList<WaveView> WaveList);

/// <summary>A target run as the live progress table shows it; <see cref="UpdatedAt"/> lets the page fetch only what changed.</summary>
public sealed record RunRow(Guid TargetRunId, Guid StageRunId, int Wave, int Position, Guid HostId, string Hostname, string Status,
    DateTimeOffset UpdatedAt, string? Reason, bool Cancellable);

/// <summary>A target run as the job page lists it, with where it goes among the rows the page already has.</summary>
public sealed record ChangedRun(TargetRunRow Row, int Position, DateTimeOffset UpdatedAt);

/// <summary>The job page's live refresh: the invocation's summary as the engine last recorded it, and only the runs that changed.</summary>
/// <param name="State">scheduled | running | stopped.</param>
public sealed record JobChanges(InvocationRow Summary, string State, string? CancelReason, string? HaltReason, IReadOnlyList<ChangedRun> Runs);

public sealed record RunTimeline(RunRow Run, IReadOnlyList<Fleet.Domain.Execution.StatusChange> Changes, string? CommandStatus, int? ExitCode);

/// <summary>
/// The live target-run progress of an invocation, for the dashboard: waves with their tallies, the runs
/// (all at first, then only those changed since a time, for the progress page and the job page), one run's
/// transitions, and cancelling a run.
/// </summary>
public interface IRolloutService
{
    Task<RolloutView?> GetAsync(long invocationId, CancellationToken ct = default);
    /// <summary>The invocation and wave index of a stage run, or null when it does not exist.</summary>
    Task<(long InvocationId, int Wave)?> FindStageRunAsync(Guid stageRunId, CancellationToken ct = default);
    /// <summary>All runs in dispatch order, or (with <paramref name="changedSince"/>) only those updated at or after it.</summary>
    Task<IReadOnlyList<RunRow>> GetRunsAsync(long invocationId, DateTimeOffset? changedSince, CancellationToken ct = default);
    /// <summary>The invocation's summary and its runs updated at or after <paramref name="changedSince"/>, in run order; null when it does not exist.</summary>
    Task<JobChanges?> GetJobChangesAsync(long invocationId, DateTimeOffset changedSince, CancellationToken ct = default);
    Task<RunTimeline?> GetTimelineAsync(Guid targetRunId, CancellationToken ct = default);
    /// <summary>Cancels a pending, queued or processing target run; anything else → DomainException.</summary>
    Task CancelRunAsync(Guid targetRunId, string by, CancellationToken ct = default);
}
