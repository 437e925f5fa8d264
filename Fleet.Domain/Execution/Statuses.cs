namespace Fleet.Domain.Execution;

/// <summary>Target-run statuses exactly as seed 004 lists them (wire form: lower case).</summary>
public enum TargetRunStatus
{
    Pending,
    Queued,
    Processing,
    Dispatched,
    Running,
    Complete,
    Success,
    Failure,
    Cancelled,
    Timeout,
    Invalid,
}

/// <summary>Command statuses from seed 004 (wire form: queued, initiated, acknowledged, in_progress, success, failure, timeout, cancelled).</summary>
public enum CommandStatus
{
    Queued,
    Initiated,
    Acknowledged,
    InProgress,
    Success,
    Failure,
    Timeout,
    Cancelled,
}

public static class StatusRules
{
    /// <summary>The target-run state machine of seed 004. Anything not listed is illegal.</summary>
    private static readonly Dictionary<TargetRunStatus, TargetRunStatus[]> TargetRunMoves = new()
    {
        [TargetRunStatus.Pending] = [TargetRunStatus.Queued, TargetRunStatus.Cancelled, TargetRunStatus.Invalid, TargetRunStatus.Timeout],
        [TargetRunStatus.Queued] = [TargetRunStatus.Processing, TargetRunStatus.Cancelled, TargetRunStatus.Invalid, TargetRunStatus.Timeout],
        [TargetRunStatus.Processing] = [TargetRunStatus.Dispatched, TargetRunStatus.Cancelled, TargetRunStatus.Invalid, TargetRunStatus.Timeout],
        // A command can end without ever running (not picked up, cancelled while queued): dispatched → complete.
        [TargetRunStatus.Dispatched] = [TargetRunStatus.Running, TargetRunStatus.Complete, TargetRunStatus.Timeout],
        [TargetRunStatus.Running] = [TargetRunStatus.Complete, TargetRunStatus.Timeout],
        [TargetRunStatus.Complete] = [TargetRunStatus.Success, TargetRunStatus.Failure],
    };

    private static readonly Dictionary<CommandStatus, CommandStatus[]> CommandMoves = new()
    {
        [CommandStatus.Queued] = [CommandStatus.Initiated, CommandStatus.Failure, CommandStatus.Timeout, CommandStatus.Cancelled],
        [CommandStatus.Initiated] = [CommandStatus.Acknowledged, CommandStatus.InProgress, CommandStatus.Success, CommandStatus.Failure, CommandStatus.Timeout, CommandStatus.Cancelled],
        [CommandStatus.Acknowledged] = [CommandStatus.InProgress, CommandStatus.Success, CommandStatus.Failure, CommandStatus.Timeout, CommandStatus.Cancelled],
        [CommandStatus.InProgress] = [CommandStatus.Success, CommandStatus.Failure, CommandStatus.Timeout, CommandStatus.Cancelled],
    };

    public static bool CanMove(TargetRunStatus from, TargetRunStatus to) => TargetRunMoves.TryGetValue(from, out var next) && next.Contains(to);

    public static bool CanMove(CommandStatus from, CommandStatus to) => CommandMoves.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>
    /// The statuses a target run never leaves. The one list both the in-memory check (<see cref="IsFinal(TargetRunStatus)"/>)
    /// and database queries (<see cref="TargetRun.Unfinished"/>) are made from, so a new final status cannot reach one and
    /// not the other.
    /// </summary>
    public static readonly IReadOnlyList<TargetRunStatus> FinalTargetRunStatuses =
        [TargetRunStatus.Success, TargetRunStatus.Failure, TargetRunStatus.Cancelled, TargetRunStatus.Timeout, TargetRunStatus.Invalid];

    public static bool IsFinal(this TargetRunStatus status) => FinalTargetRunStatuses.Contains(status);

    public static bool IsFinal(this CommandStatus status) =>
        status is CommandStatus.Success or CommandStatus.Failure or CommandStatus.Timeout or CommandStatus.Cancelled;

    /// <summary>Seed 004: only pending, queued and processing target runs can be cancelled by a user.</summary>
    public static bool IsCancellable(this TargetRunStatus status) =>
        status is TargetRunStatus.Pending or TargetRunStatus.Queued or TargetRunStatus.Processing;

    public static string Wire(this TargetRunStatus status) => status.ToString().ToLowerInvariant();

    public static string Wire(this CommandStatus status) => status == CommandStatus.InProgress ? "in_progress" : status.ToString().ToLowerInvariant();

    public static bool TryParseTargetRunStatus(string? value, out TargetRunStatus status)
    {
        status = default;
        return value is not null && Enum.GetNames<TargetRunStatus>().Any(n => n.Equals(value, StringComparison.Ordinal) || n.ToLowerInvariant() == value)
            && Enum.TryParse(value, ignoreCase: true, out status);
    }
}
