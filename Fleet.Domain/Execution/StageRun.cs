using Fleet.Domain.Hosts;

namespace Fleet.Domain.Execution;

/// <summary>Where a wave stands. Only <see cref="Running"/> waves have their target runs dispatched.</summary>
public enum StageRunState
{
    Waiting = 0,
    Running = 1,
    Completed = 2,
    Halted = 3,
}

/// <summary>
/// A wave of an invocation (seed 004's stage run): a slice of the targets that starts only after the
/// previous wave completed (and, optionally, a pause), and is halted when the rollout is stopped.
/// </summary>
public sealed class StageRun
{
    private StageRun() { }

    public StageRun(Guid id, long invocationId, int index, DateTimeOffset now, int size = 0)
    {
        Id = id;
        InvocationId = invocationId;
        Index = index;
        Size = size;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public long InvocationId { get; private set; }
    /// <summary>Zero-based wave number.</summary>
    public int Index { get; private set; }
    /// <summary>How many targets the wave plan gave this wave (target runs added later through the API are not counted).</summary>
    public int Size { get; private set; }
    public StageRunState State { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Earliest start of a waiting wave: the previous wave's end plus the pause between waves.</summary>
    public DateTimeOffset? StartsAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public string? HaltReason { get; private set; }

    public bool IsDue(DateTimeOffset now) => State == StageRunState.Waiting && (StartsAt is null || StartsAt <= now);

    /// <summary>Sets the planned size of a wave whose targets were resolved only when the invocation started.</summary>
    public void Plan(int size)
    {
        Require(StageRunState.Waiting, "re-planned");
        Size = size;
    }

    public void ScheduleStart(DateTimeOffset at)
    {
        Require(StageRunState.Waiting, "scheduled");
        StartsAt = at;
    }

    public void Start(DateTimeOffset now)
    {
        Require(StageRunState.Waiting, "started");
        State = StageRunState.Running;
        StartedAt = now;
    }

    public void Complete(DateTimeOffset now)
    {
        Require(StageRunState.Running, "completed");
        State = StageRunState.Completed;
        EndedAt = now;
    }

    /// <summary>A wave that has not started is halted: it never runs, and its target runs are cancelled with the reason.</summary>
    public void Halt(DateTimeOffset now, string reason)
    {
        Require(StageRunState.Waiting, "halted");
        State = StageRunState.Halted;
        HaltReason = reason;
        EndedAt = now;
    }

    /// <summary>
    /// A target run added to this stage run after it was planned (seed 004's "create a target run"): pending, at the
    /// end of the run order. Only while the invocation has not stopped, only for an approved host, once per host.
    /// </summary>
    /// <param name="targeted">The hosts this stage run already has a target run for.</param>
    /// <param name="lastPosition">The highest run position in this stage run, or null when it has none.</param>
    public TargetRun AddTargetRun(Guid id, Invocation invocation, ManagedHost host, IReadOnlySet<Guid> targeted, int? lastPosition,
        string? deviceName, string? deviceAlias, DateTimeOffset now)
    {
        if (invocation.Id != InvocationId) throw new ArgumentException("The invocation is not this stage run's.", nameof(invocation));
        if (invocation.State == InvocationState.Stopped) throw new DomainException("This stage run has finished; target runs can no longer be added.");
        if (host.Approval != HostApproval.Approved) throw new DomainException($"Host {host.Id} is not an approved host.");
        if (targeted.Contains(host.Id)) throw new DomainException($"Host {host.Id} already has a target run in this stage run.");
        return new TargetRun(id, InvocationId, Id, host.Id, deviceName ?? host.Hostname, now, deviceAlias,
            (lastPosition ?? -1) + 1);
    }

    private void Require(StageRunState state, string verb)
    {
        if (State != state) throw new DomainException($"Wave {Index + 1} is {State.ToString().ToLowerInvariant()} and cannot be {verb}.");
    }
}
