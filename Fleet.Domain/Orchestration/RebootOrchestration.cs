using System.Linq.Expressions;

namespace Fleet.Domain.Orchestration;

/// <summary>Phases of an orchestrated reboot, in order; <see cref="Completed"/> and <see cref="Failed"/> are final.</summary>
public enum OrchestrationStatus
{
    ShuttingDown = 0,
    Rebooting = 1,
    WaitingForAgent = 2,
    Restarting = 3,
    Completed = 4,
    Failed = 5,
}

public static class OrchestrationStatuses
{
    public static string Wire(this OrchestrationStatus status) => status switch
    {
        OrchestrationStatus.ShuttingDown => "shutting_down",
        OrchestrationStatus.Rebooting => "rebooting",
        OrchestrationStatus.WaitingForAgent => "waiting_for_agent",
        OrchestrationStatus.Restarting => "restarting",
        OrchestrationStatus.Completed => "completed",
        _ => "failed",
    };
}

/// <summary>One child host as it was when the orchestration began, and what happened to it since.</summary>
public sealed class OrchestrationChild
{
    public const string Pending = "pending";
    public const string Stopping = "stopping";
    public const string Stopped = "stopped";
    public const string StopTimedOut = "timeout";
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Failed = "failed";

    private OrchestrationChild() { }

    public OrchestrationChild(Guid childId, string name, string type, string preRebootStatus)
    {
        ChildId = childId;
        Name = name;
        Type = type;
        PreRebootStatus = preRebootStatus;
    }

    public Guid ChildId { get; private set; }
    public string Name { get; private set; } = "";
    public string Type { get; private set; } = "";
    public string PreRebootStatus { get; private set; } = "";
    /// <summary>pending → stopping → stopped | failed | timeout.</summary>
    public string StopStatus { get; private set; } = Pending;
    public long? StopInvocationId { get; private set; }
    /// <summary>pending → starting → running | failed (seed 001's restart_status).</summary>
    public string RestartStatus { get; private set; } = Pending;
    public long? StartInvocationId { get; private set; }
    /// <summary>Why the child did not start again (or did not stop); null when all went well.</summary>
    public string? Error { get; private set; }

    public bool StopDone => StopStatus is Stopped or Failed or StopTimedOut;
    public bool RestartDone => RestartStatus is Running or Failed;

    internal void StopRequested(long invocationId)
    {
        if (StopInvocationId is not null) throw new DomainException($"A stop of child '{Name}' was already requested.");
        StopInvocationId = invocationId;
        StopStatus = Stopping;
    }

    internal void StopEnded(bool stopped, string? error)
    {
        if (StopStatus != Stopping) throw new DomainException($"Child '{Name}' is not being stopped (it is {StopStatus}).");
        StopStatus = stopped ? Stopped : Failed;
        if (!stopped) Error = error ?? "The child host did not stop.";
    }

    internal void StopGivenUp(int timeoutSeconds)
    {
        if (StopDone) return;
        StopStatus = StopTimedOut;
        Error = $"Not stopped within the shutdown timeout of {timeoutSeconds} s; the reboot went ahead.";
    }

    internal void StartRequested(long invocationId)
    {
        if (StartInvocationId is not null) throw new DomainException($"A start of child '{Name}' was already requested.");
        StartInvocationId = invocationId;
        RestartStatus = Starting;
    }

    internal void StartEnded(bool running, string? error)
    {
        if (RestartStatus != Starting) throw new DomainException($"Child '{Name}' is not being started (it is {RestartStatus}).");
        RestartStatus = running ? Running : Failed;
        // A stop that failed before the reboot no longer matters once the child runs again.
        Error = running ? null : error ?? "The child host did not start.";
    }
}

/// <summary>
/// An orchestrated reboot of a parent host with running child hosts (seed 001): stop the children,
/// reboot the parent, wait for its agent to come back, start the children again. Each phase is
/// time-stamped; the methods refuse any move out of order.
/// </summary>
public sealed class RebootOrchestration
{
    public const int DefaultShutdownTimeoutSeconds = 120;

    private readonly List<OrchestrationChild> _children = [];

    private RebootOrchestration() { }

    public RebootOrchestration(Guid id, Guid parentHostId, IEnumerable<OrchestrationChild> runningChildren, int shutdownTimeoutSeconds,
        int reconnectTimeoutSeconds, string initiatedBy, DateTimeOffset now)
    {
        _children.AddRange(runningChildren);
        if (_children.Count == 0) throw new DomainException("No running child hosts found; use a plain reboot.");
        if (_children.Select(c => c.ChildId).Distinct().Count() != _children.Count) throw new DomainException("A child host appears twice in the snapshot.");
        if (shutdownTimeoutSeconds <= 0) throw new DomainException("shutdown_timeout_seconds must be positive.");
        if (reconnectTimeoutSeconds <= 0) throw new DomainException("The reconnect timeout must be positive.");
        if (string.IsNullOrWhiteSpace(initiatedBy)) throw new DomainException("An orchestration needs the user who initiated it.");
        Id = id;
        ParentHostId = parentHostId;
        ShutdownTimeoutSeconds = shutdownTimeoutSeconds;
        ReconnectTimeoutSeconds = reconnectTimeoutSeconds;
        InitiatedBy = initiatedBy;
        InitiatedAt = now;
        Status = OrchestrationStatus.ShuttingDown;
    }

    public Guid Id { get; private set; }
    public Guid ParentHostId { get; private set; }
    public OrchestrationStatus Status { get; private set; }
    public int ShutdownTimeoutSeconds { get; private set; }
    /// <summary>How long to wait for the parent's agent after the reboot was issued before giving up.</summary>
    public int ReconnectTimeoutSeconds { get; private set; }
    public string InitiatedBy { get; private set; } = "";
    public DateTimeOffset InitiatedAt { get; private set; }
    public DateTimeOffset? ShutdownCompletedAt { get; private set; }
    public DateTimeOffset? RebootIssuedAt { get; private set; }
    public long? RebootInvocationId { get; private set; }
    public string? BootIdBeforeReboot { get; private set; }
    public DateTimeOffset? AgentReconnectedAt { get; private set; }
    public DateTimeOffset? RestartCompletedAt { get; private set; }
    public DateTimeOffset? FailedAt { get; private set; }
    public string? ErrorMessage { get; private set; }

    /// <summary>
    /// The one definition of "still under way": queries hand it to the database, and <see cref="IsFinal"/> is its
    /// negation in memory, so a new final status cannot be added to one and forgotten in the other.
    /// </summary>
    public static readonly Expression<Func<RebootOrchestration, bool>> Unfinished =
        o => o.Status != OrchestrationStatus.Completed && o.Status != OrchestrationStatus.Failed;

    private static readonly Func<RebootOrchestration, bool> IsUnfinished = Unfinished.Compile();

    public IReadOnlyList<OrchestrationChild> Children => _children;

    public bool IsFinal => !IsUnfinished(this);

    public DateTimeOffset ShutdownDeadline => InitiatedAt + TimeSpan.FromSeconds(ShutdownTimeoutSeconds);

    public DateTimeOffset? ReconnectDeadline => RebootIssuedAt + TimeSpan.FromSeconds(ReconnectTimeoutSeconds);

    public void ChildStopRequested(Guid childId, long invocationId)
    {
        Require(OrchestrationStatus.ShuttingDown, "request a child stop");
        Child(childId).StopRequested(invocationId);
    }

    public void ChildStopEnded(Guid childId, bool stopped, string? error)
    {
        Require(OrchestrationStatus.ShuttingDown, "record a child stop");
        Child(childId).StopEnded(stopped, error);
    }

    /// <summary>Every child stopped (or failed to), or the shutdown timeout passed: the parent may reboot.</summary>
    public void CompleteShutdown(DateTimeOffset now)
    {
        Require(OrchestrationStatus.ShuttingDown, "complete the shutdown");
        if (_children.Any(c => c.StopInvocationId is null)) throw new DomainException("Every child must be asked to stop before the reboot.");
        if (!_children.All(c => c.StopDone) && now < ShutdownDeadline)
            throw new DomainException("Children are still stopping and the shutdown timeout has not passed.");
        foreach (var child in _children) child.StopGivenUp(ShutdownTimeoutSeconds);
        ShutdownCompletedAt = now;
        Status = OrchestrationStatus.Rebooting;
    }

    /// <param name="bootId">The parent's boot id before the reboot, when its agent reports one: the agent is back only with another.</param>
    public void RebootIssued(long invocationId, DateTimeOffset now, string? bootId = null)
    {
        Require(OrchestrationStatus.Rebooting, "issue the reboot");
        RebootInvocationId = invocationId;
        BootIdBeforeReboot = bootId;
        RebootIssuedAt = now;
        Status = OrchestrationStatus.WaitingForAgent;
    }

    public void AgentReconnected(DateTimeOffset now)
    {
        Require(OrchestrationStatus.WaitingForAgent, "record the agent's return");
        AgentReconnectedAt = now;
        Status = OrchestrationStatus.Restarting;
    }

    /// <summary>
    /// The reboot never happened (its command was refused or not picked up) while the parent stays up: the
    /// children that were stopped are started again, and the orchestration then ends failed with this error.
    /// </summary>
    public void RebootFailed(string errorMessage, DateTimeOffset now)
    {
        Require(OrchestrationStatus.WaitingForAgent, "record a failed reboot");
        if (string.IsNullOrWhiteSpace(errorMessage)) throw new DomainException("A failed reboot needs an error message.");
        ErrorMessage = errorMessage;
        Status = OrchestrationStatus.Restarting;
    }

    public void ChildStartRequested(Guid childId, long invocationId)
    {
        Require(OrchestrationStatus.Restarting, "request a child start");
        Child(childId).StartRequested(invocationId);
    }

    public void ChildStartEnded(Guid childId, bool running, string? error)
    {
        Require(OrchestrationStatus.Restarting, "record a child start");
        Child(childId).StartEnded(running, error);
    }

    /// <summary>
    /// Ends the orchestration as completed once every child's restart has ended. A child that did not start
    /// does not fail the whole orchestration: the parent was rebooted and the others run again, so the
    /// outcome is completed with that child's restart_status <c>failed</c> and its error. After a failed reboot
    /// (<see cref="RebootFailed"/>) it ends failed instead, once the children were brought back.
    /// </summary>
    public void Complete(DateTimeOffset now)
    {
        Require(OrchestrationStatus.Restarting, "complete");
        if (!_children.All(c => c.RestartDone)) throw new DomainException("Children are still starting.");
        RestartCompletedAt = now;
        var rebootFailed = ErrorMessage is not null;
        // As SysManage does, a completed orchestration still says which children did not come back, so a
        // client reading only the top-level fields learns of them.
        if (FailedToStartSummary() is { } summary) ErrorMessage = rebootFailed ? $"{ErrorMessage} {summary}" : summary;
        if (rebootFailed)
        {
            FailedAt = now;
            Status = OrchestrationStatus.Failed;
            return;
        }
        Status = OrchestrationStatus.Completed;
    }

    private string? FailedToStartSummary()
    {
        var failed = _children.Where(c => c.RestartStatus == OrchestrationChild.Failed).Select(c => c.Name).ToList();
        return failed.Count == 0
            ? null
            : $"{failed.Count} of {_children.Count} child hosts failed to start: {string.Join(", ", failed)}.";
    }

    public void Fail(string errorMessage, DateTimeOffset now)
    {
        if (IsFinal) throw new DomainException($"Orchestration {Id} already ended as {Status.Wire()}.");
        if (string.IsNullOrWhiteSpace(errorMessage)) throw new DomainException("A failed orchestration needs an error message.");
        ErrorMessage = errorMessage;
        FailedAt = now;
        Status = OrchestrationStatus.Failed;
    }

    private OrchestrationChild Child(Guid childId) =>
        _children.FirstOrDefault(c => c.ChildId == childId) ?? throw new DomainException($"Child host {childId} is not part of this orchestration.");

    private void Require(OrchestrationStatus expected, string action)
    {
        if (Status != expected)
            throw new DomainException($"Cannot {action}: the orchestration is {Status.Wire()}, not {expected.Wire()}.");
    }
}
