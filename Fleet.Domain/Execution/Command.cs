namespace Fleet.Domain.Execution;

public enum CommandKind
{
    Script = 0,
    Reboot = 1,
    Shutdown = 2,
    /// <summary>Stop a child host (container) of the target host; the script is a <see cref="Agents.ChildHostAction"/>.</summary>
    ChildStop = 3,
    /// <summary>Start a child host (container) of the target host; the script is a <see cref="Agents.ChildHostAction"/>.</summary>
    ChildStart = 4,
    /// <summary>Replace this agent with another package version (seed 003 UPDATE); the script is an <see cref="Agents.AgentUpdateOrder"/>.</summary>
    AgentUpdate = 5,
    /// <summary>Go back to a version still installed on the host (seed 003 ROLLBACK); the script is an <see cref="Agents.AgentRollbackOrder"/>.</summary>
    AgentRollback = 6,
    /// <summary>Install the agent inside a child host of this host (seed 003 INSTALL); the script is a <see cref="Agents.ChildAgentInstallOrder"/>.</summary>
    ChildAgentInstall = 7,
    /// <summary>Install the agent on another machine over SSH (seed 003 REMOTE_INSTALL); the sealed script is a <see cref="Agents.RemoteAgentInstallOrder"/>.</summary>
    RemoteAgentInstall = 8,
}

/// <summary>
/// What an agent is asked to run for one target run. Its status moves through seed 004's command
/// statuses; a result arriving after the command already ended is kept, never applied.
/// </summary>
public sealed class Command
{
    private Command() { }

    /// <param name="script">The script as people may see it: sensitive input values masked.</param>
    /// <param name="sealedScript">The script as the agent must run it, encrypted by the server; null when it holds nothing sensitive.</param>
    public Command(Guid id, Guid targetRunId, Guid hostId, CommandKind kind, string script, string? effectiveUser, int timeoutSeconds, DateTimeOffset now,
        string? sealedScript = null)
    {
        if (timeoutSeconds <= 0) throw new DomainException("A command needs a positive timeout.");
        if (kind == CommandKind.Script && string.IsNullOrWhiteSpace(script)) throw new DomainException("A script command needs a script.");
        Id = id;
        TargetRunId = targetRunId;
        HostId = hostId;
        Kind = kind;
        Script = script;
        SealedScript = sealedScript;
        EffectiveUser = effectiveUser;
        TimeoutSeconds = timeoutSeconds;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid TargetRunId { get; private set; }
    public Guid HostId { get; private set; }
    public CommandKind Kind { get; private set; }
    public string Script { get; private set; } = "";
    /// <summary>The runnable script when <see cref="Script"/> is masked: opaque here, opened only to send the command.</summary>
    public string? SealedScript { get; private set; }

    /// <summary>
    /// Drops the sealed copy once nobody needs it any more (an SSH credential after its install ended), so no secret stays
    /// at rest; the masked <see cref="Script"/> remains to show what ran.
    /// </summary>
    public void ForgetSealedScript() => SealedScript = null;
    public string? EffectiveUser { get; private set; }
    public int TimeoutSeconds { get; private set; }
    public CommandStatus Status { get; private set; } = CommandStatus.Queued;
    public int? ExitCode { get; private set; }
    public string? Error { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>Allowance beyond the command's own timeout (which the agent enforces) before the server stops waiting.</summary>
    public static readonly TimeSpan ResultGrace = TimeSpan.FromSeconds(30);

    /// <summary>If no result has arrived by then, the command ends as timeout.</summary>
    public DateTimeOffset? ResultDeadline { get; private set; }
    /// <summary>If the agent has not taken the command by then, it fails (seed 002's time_to_pickup).</summary>
    public DateTimeOffset? PickupDeadline { get; private set; }
    /// <summary>Exit code of a result that arrived after the command had already ended (e.g. after a timeout).</summary>
    public int? LateExitCode { get; private set; }

    public bool IsFinal => Status.IsFinal();

    public void MarkSent(DateTimeOffset now) => SentAt ??= now;

    public void RequirePickupWithin(TimeSpan timeToPickup, DateTimeOffset now) => PickupDeadline = now + timeToPickup;

    /// <summary>True while the agent has not yet taken the command and its pickup deadline has passed.</summary>
    public bool MissedPickup(DateTimeOffset now) => Status == CommandStatus.Queued && PickupDeadline is { } deadline && now > deadline;

    /// <summary>The agent received the command (queued → initiated).</summary>
    public bool Initiate(DateTimeOffset now) => TryMove(CommandStatus.Initiated, now);

    /// <summary>The agent started the process.</summary>
    public bool Start(DateTimeOffset now)
    {
        if (Status == CommandStatus.Queued) TryMove(CommandStatus.Initiated, now);
        var moved = TryMove(CommandStatus.InProgress, now);
        if (moved)
        {
            StartedAt ??= now;
            ResultDeadline = StartedAt + TimeSpan.FromSeconds(TimeoutSeconds) + ResultGrace;
        }
        return moved;
    }

    /// <summary>Records the agent's result. Returns false (and keeps it as a late result) when the command had already ended.</summary>
    public bool Finish(CommandStatus outcome, int? exitCode, string? error, DateTimeOffset now)
    {
        if (!outcome.IsFinal()) throw new DomainException($"{outcome.Wire()} is not a final command status.");
        if (IsFinal)
        {
            LateExitCode = exitCode;
            return false;
        }
        if (Status == CommandStatus.Queued && outcome is CommandStatus.Success) TryMove(CommandStatus.Initiated, now);
        Move(outcome, now);
        ExitCode = exitCode;
        Error = error;
        FinishedAt = now;
        return true;
    }

    public void Cancel(DateTimeOffset now, string reason)
    {
        if (IsFinal) throw new DomainException($"Command {Id} already ended as {Status.Wire()}.");
        Finish(CommandStatus.Cancelled, null, reason, now);
    }

    private bool TryMove(CommandStatus to, DateTimeOffset now)
    {
        if (!StatusRules.CanMove(Status, to)) return false;
        Status = to;
        return true;
    }

    private void Move(CommandStatus to, DateTimeOffset now)
    {
        if (!TryMove(to, now)) throw new DomainException($"Command cannot move from {Status.Wire()} to {to.Wire()}.");
    }
}
