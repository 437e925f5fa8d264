using Fleet.Domain.Execution;

namespace Fleet.Web.Engine;

/// <summary>A stage run with how many of its target runs are in each status (every status present, zeros included).</summary>
public sealed record StageRunTally(StageRun Stage, IReadOnlyDictionary<TargetRunStatus, int> Counts)
{
    public int Total => Counts.Values.Sum();
}

/// <param name="OperationId">Seed 004's stage-run operation: each stage run has one, and its id is the stage run's own.</param>
/// <param name="OrderByStatus">Ascending (true) or descending (false) by status name, else run order.</param>
public sealed record TargetRunQuery(Guid StageRunId, TargetRunStatus? Status = null, Guid? OperationId = null, bool? OrderByStatus = null);

/// <summary>The stage run or target run asked for does not exist (or the target run is not in that stage run).</summary>
public sealed class TargetRunNotFoundException(string message) : Exception(message);

/// <summary>
/// Stage runs and target runs (seed 004's resources) as the engine keeps them: every read, and every change
/// through the entities' state machines. Unknown ids → null from reads, <see cref="TargetRunNotFoundException"/>
/// from changes; an illegal change → DomainException with a message fit for the caller.
/// </summary>
public interface ITargetRunService
{
    /// <summary>The newest stage runs first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<StageRunTally>> ListStageRunsAsync(int max, CancellationToken ct = default);
    Task<StageRunTally?> GetStageRunAsync(Guid stageRunId, CancellationToken ct = default);
    /// <summary>The matching target runs, or null when the stage run does not exist.</summary>
    Task<IReadOnlyList<TargetRun>?> ListTargetRunsAsync(TargetRunQuery query, CancellationToken ct = default);
    Task<TargetRun?> GetTargetRunAsync(Guid stageRunId, Guid targetRunId, CancellationToken ct = default);
    /// <summary>The target run's command; null when the run does not exist or has no command yet (the run says which).</summary>
    Task<(TargetRun? Run, Command? Command)> GetCommandAsync(Guid stageRunId, Guid targetRunId, CancellationToken ct = default);
    /// <summary>A new pending target run for an approved host; the rules are <see cref="StageRun.AddTargetRun"/>'s.</summary>
    Task<TargetRun> AddTargetRunAsync(Guid stageRunId, Guid hostId, string? deviceName, string? deviceAlias, CancellationToken ct = default);
    /// <summary>Moves a target run to <paramref name="status"/> (cancelling as <see cref="CancelTargetRunAsync"/> does) and renames it.</summary>
    Task<TargetRun> UpdateTargetRunAsync(Guid stageRunId, Guid targetRunId, TargetRunStatus? status, string? deviceName, string by, CancellationToken ct = default);
    /// <summary>The one way a target run is cancelled: only pending, queued or processing runs; anything else → DomainException.</summary>
    Task<TargetRun> CancelTargetRunAsync(Guid targetRunId, string by, CancellationToken ct = default);
    /// <summary>Creates the target run's command and sends it to the host.</summary>
    Task<Command> CreateCommandAsync(Guid stageRunId, Guid targetRunId, string? script, int? timeoutSeconds, CancellationToken ct = default);
    /// <summary>Cancels the target run's command: at once if the agent has not taken it, otherwise by asking the agent to kill it.</summary>
    Task<Command> CancelCommandAsync(Guid stageRunId, Guid targetRunId, Guid commandId, string by, CancellationToken ct = default);
}
