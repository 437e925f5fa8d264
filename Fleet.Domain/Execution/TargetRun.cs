using System.Linq.Expressions;

namespace Fleet.Domain.Execution;

public sealed record StatusChange(string From, string To, DateTimeOffset At, string? Reason);

/// <summary>
/// One host's part of an invocation (seed 004's target run). Its status moves only through these
/// methods; the command's status drives it (<see cref="FollowCommand"/>), exactly as seed 004 maps them.
/// </summary>
public sealed class TargetRun
{
    private TargetRun() { }

    public TargetRun(Guid id, long invocationId, Guid stageRunId, Guid hostId, string deviceName, DateTimeOffset now, string? deviceAlias = null, int position = 0)
    {
        Position = position;
        Id = id;
        InvocationId = invocationId;
        StageRunId = stageRunId;
        HostId = hostId;
        DeviceName = deviceName;
        DeviceAlias = deviceAlias;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public long InvocationId { get; private set; }
    public Guid StageRunId { get; private set; }
    public Guid HostId { get; private set; }
    /// <summary>Order in which runs are dispatched (randomized ordering shuffles it at creation).</summary>
    public int Position { get; private set; }
    public string DeviceName { get; private set; } = "";
    public string? DeviceAlias { get; private set; }
    public TargetRunStatus Status { get; private set; } = TargetRunStatus.Pending;
    /// <summary>Why the run ended as it did when that is not obvious (not picked up in time, cancelled by, halted, ...).</summary>
    public string? Reason { get; private set; }
    public Guid? CommandId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    /// <summary>
    /// The transitions, one per line (<c>from&gt;to@unix-ms|reason</c>). Kept as appended text rather than a
    /// list so that saving thousands of runs compares strings, not serialized lists.
    /// </summary>
    public string HistoryText { get; private set; } = "";

    public IReadOnlyList<StatusChange> History =>
        HistoryText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseChange).ToList();

    public bool IsFinal => Status.IsFinal();

    /// <summary>
    /// "Not final yet" for queries: one inequality per final status (a form every database provider translates), built from
    /// <see cref="StatusRules.FinalTargetRunStatuses"/>, the list <see cref="IsFinal"/> reads.
    /// </summary>
    public static readonly Expression<Func<TargetRun, bool>> Unfinished = BuildUnfinished();

    private static Expression<Func<TargetRun, bool>> BuildUnfinished()
    {
        var run = Expression.Parameter(typeof(TargetRun), "r");
        var status = Expression.Property(run, nameof(Status));
        var body = StatusRules.FinalTargetRunStatuses
            .Select(final => (Expression)Expression.NotEqual(status, Expression.Constant(final)))
            .Aggregate(Expression.AndAlso);
        return Expression.Lambda<Func<TargetRun, bool>>(body, run);
    }

    public void Queue(DateTimeOffset now) => Move(TargetRunStatus.Queued, now);

    public void BeginProcessing(DateTimeOffset now) => Move(TargetRunStatus.Processing, now);

    /// <summary>Processing → dispatched: the command for this run was created and queued for the host.</summary>
    public void AttachCommand(Guid commandId, DateTimeOffset now)
    {
        if (CommandId is not null) throw new DomainException($"Target run {Id} already has command {CommandId}.");
        Move(TargetRunStatus.Dispatched, now);
        CommandId = commandId;
    }

    /// <summary>Applies seed 004's mapping from the command's status to this run's status.</summary>
    public void FollowCommand(CommandStatus command, DateTimeOffset now, string? reason = null)
    {
        if (IsFinal) return; // a late command result never reopens a finished run
        switch (command)
        {
            case CommandStatus.Queued:
                return;
            case CommandStatus.Initiated or CommandStatus.Acknowledged or CommandStatus.InProgress:
                if (Status == TargetRunStatus.Dispatched)
                {
                    Move(TargetRunStatus.Running, now);
                    StartedAt ??= now;
                }
                return;
            default:
                if (Status == TargetRunStatus.Dispatched) StartedAt ??= now;
                Move(TargetRunStatus.Complete, now, reason);
                Move(command == CommandStatus.Success ? TargetRunStatus.Success : TargetRunStatus.Failure, now, reason);
                return;
        }
    }

    public void Cancel(DateTimeOffset now, string reason)
    {
        if (!Status.IsCancellable())
            throw new DomainException($"Target run {Id} is {Status.Wire()}; only pending, queued or processing target runs can be cancelled.");
        Move(TargetRunStatus.Cancelled, now, reason);
    }

    public void TimeOut(DateTimeOffset now, string reason) => Move(TargetRunStatus.Timeout, now, reason);

    public void MarkInvalid(DateTimeOffset now, string reason) => Move(TargetRunStatus.Invalid, now, reason);

    /// <summary>A requested status change (seed 004's PUT), checked against the state machine.</summary>
    public void MoveTo(TargetRunStatus to, DateTimeOffset now, string? reason = null) => Move(to, now, reason);

    public void Rename(string? deviceName)
    {
        if (!string.IsNullOrWhiteSpace(deviceName)) DeviceName = deviceName;
    }

    private void Move(TargetRunStatus to, DateTimeOffset now, string? reason = null)
    {
        if (!StatusRules.CanMove(Status, to))
            throw new DomainException($"Target run cannot move from {Status.Wire()} to {to.Wire()}.");
        HistoryText += $"{Status.Wire()}>{to.Wire()}@{now.ToUnixTimeMilliseconds()}|{reason?.Replace('\n', ' ')}\n";
        Status = to;
        UpdatedAt = now;
        if (reason is not null) Reason = reason;
        if (to.IsFinal()) EndedAt = now;
    }

    private static StatusChange ParseChange(string line)
    {
        var bar = line.IndexOf('|');
        var at = line.IndexOf('@');
        var arrow = line.IndexOf('>');
        var reason = bar >= 0 && bar < line.Length - 1 ? line[(bar + 1)..] : null;
        var millis = long.Parse(line[(at + 1)..(bar >= 0 ? bar : line.Length)], System.Globalization.CultureInfo.InvariantCulture);
        return new StatusChange(line[..arrow], line[(arrow + 1)..at], DateTimeOffset.FromUnixTimeMilliseconds(millis), reason);
    }
}
