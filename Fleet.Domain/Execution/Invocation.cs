namespace Fleet.Domain.Execution;

/// <summary>Which façade or feature created an invocation; every one runs on the same engine.</summary>
public enum InvocationOrigin
{
    JobInvocation = 0,
    FleetCommand = 1,
    Broadcast = 2,
    Power = 3,
    StageRun = 4,
    /// <summary>A step of an orchestrated reboot (stop a child, reboot the parent, start a child).</summary>
    Orchestration = 5,
    /// <summary>A run (or retry) of a headless operation (seed 000).</summary>
    HeadlessOperation = 6,
    /// <summary>A step of an agent maintenance task (seed 003: install, update, roll back, remote install).</summary>
    AgentMaintenance = 7,
}

public enum TargetingType
{
    StaticQuery = 0,
    DynamicQuery = 1,
}

/// <summary>Lifecycle of the invocation as a whole (Foreman shows it as the task state).</summary>
public enum InvocationState
{
    Scheduled = 0,
    Running = 1,
    Stopped = 2,
}

/// <summary>
/// What to run, where, when and how: the root of the engine. Its target runs (one per host) carry
/// the per-host state; the invocation's own state only says whether it has started and finished.
/// </summary>
public sealed class Invocation
{
    private Invocation() { }

    public Invocation(InvocationSpec spec, string owner, DateTimeOffset now)
    {
        spec.Validate();
        JobCategory = spec.JobCategory;
        Description = spec.Description;
        TemplateId = spec.TemplateId;
        TemplateName = spec.TemplateName;
        Feature = spec.Feature;
        Origin = spec.Origin;
        CommandKind = spec.CommandKind;
        Script = spec.Script;
        SealedScript = spec.SealedScript;
        InputsJson = spec.InputsJson;
        EffectiveUser = spec.EffectiveUser;
        TargetingType = spec.TargetingType;
        SearchQuery = spec.SearchQuery;
        BookmarkId = spec.BookmarkId;
        RandomizedOrdering = spec.RandomizedOrdering;
        ConcurrencyLevel = spec.ConcurrencyLevel;
        TimeToPickupSeconds = spec.TimeToPickupSeconds;
        ExecutionTimeoutSeconds = spec.ExecutionTimeoutSeconds;
        StartAt = spec.StartAt;
        StartBefore = spec.StartBefore;
        RecurringLogicId = spec.RecurringLogicId;
        Waves = string.IsNullOrWhiteSpace(spec.Waves) ? null : spec.Waves.Trim();
        WavePauseSeconds = spec.WavePauseSeconds is > 0 ? spec.WavePauseSeconds : null;
        FailureThreshold = string.IsNullOrWhiteSpace(spec.FailureThreshold) ? null : spec.FailureThreshold.Trim();
        TargetRunTimeoutSeconds = spec.TargetRunTimeoutSeconds;
        Owner = owner;
        CreatedAt = now;
        TaskId = Guid.NewGuid();
        State = spec.StartAt is { } at && at > now ? InvocationState.Scheduled : InvocationState.Running;
        if (State == InvocationState.Running) StartedAt = now;
    }

    public long Id { get; private set; }
    public string JobCategory { get; private set; } = "";
    public string? Description { get; private set; }
    public long? TemplateId { get; private set; }
    public string TemplateName { get; private set; } = "";
    public string? Feature { get; private set; }
    public InvocationOrigin Origin { get; private set; }
    public CommandKind CommandKind { get; private set; }
    public string Script { get; private set; } = "";
    /// <summary>The runnable script, encrypted, when <see cref="Script"/> shows sensitive input values masked; else null.</summary>
    public string? SealedScript { get; private set; }

    /// <summary>
    /// Drops the sealed copy once nobody needs it any more (an SSH credential after its install ended), so no secret stays
    /// at rest; the masked <see cref="Script"/> remains to show what ran.
    /// </summary>
    public void ForgetSealedScript() => SealedScript = null;
    /// <summary>Resolved input values; sensitive ones are stored encrypted.</summary>
    public string InputsJson { get; private set; } = "{}";
    public string? EffectiveUser { get; private set; }
    public TargetingType TargetingType { get; private set; }
    public string? SearchQuery { get; private set; }
    public long? BookmarkId { get; private set; }
    public bool RandomizedOrdering { get; private set; }
    public int? ConcurrencyLevel { get; private set; }
    public int? TimeToPickupSeconds { get; private set; }
    public int? ExecutionTimeoutSeconds { get; private set; }
    public DateTimeOffset? StartAt { get; private set; }
    public DateTimeOffset? StartBefore { get; private set; }
    public long? RecurringLogicId { get; private set; }
    /// <summary>The wave plan as written (<c>1, 10%, rest</c>); null runs every target in one wave.</summary>
    public string? Waves { get; private set; }
    public int? WavePauseSeconds { get; private set; }
    /// <summary>The failure threshold as written (<c>3</c> or <c>10%</c>); null never halts.</summary>
    public string? FailureThreshold { get; private set; }
    /// <summary>Overrides the server-wide target-run timeout (seed 004: 7 days) for this invocation.</summary>
    public int? TargetRunTimeoutSeconds { get; private set; }
    /// <summary>Why the remaining waves were not run, once the failure threshold was reached.</summary>
    public string? HaltReason { get; private set; }
    public string Owner { get; private set; } = "";
    public Guid TaskId { get; private set; }
    public InvocationState State { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public string? CancelReason { get; private set; }

    // Progress as last computed by the engine, kept on the row so lists can filter and sort by it.
    public int Succeeded { get; private set; }
    public int Failed { get; private set; }
    public int Cancelled { get; private set; }
    public int RunningCount { get; private set; }
    public int Pending { get; private set; }
    public InvocationOutcome Outcome { get; private set; } = InvocationOutcome.Queued;

    public RunCounts Counts => new(Succeeded, Failed, Cancelled, RunningCount, Pending);

    public void RecordProgress(RunCounts counts)
    {
        (Succeeded, Failed, Cancelled, RunningCount, Pending) = (counts.Succeeded, counts.Failed, counts.Cancelled, counts.Running, counts.Pending);
        Outcome = InvocationStatus.Of(State, counts);
    }

    /// <summary>
    /// What this invocation runs and how, as a spec for another like it (a rerun, a recurrence). Its timing
    /// (<c>StartAt</c>, <c>StartBefore</c>), recurring logic and targets are the caller's to choose.
    /// </summary>
    public InvocationSpec ToSpec() => new()
    {
        JobCategory = JobCategory,
        Description = Description,
        TemplateId = TemplateId,
        TemplateName = TemplateName,
        Feature = Feature,
        Origin = Origin,
        CommandKind = CommandKind,
        Script = Script,
        SealedScript = SealedScript,
        InputsJson = InputsJson,
        EffectiveUser = EffectiveUser,
        TargetingType = TargetingType,
        SearchQuery = SearchQuery,
        BookmarkId = BookmarkId,
        RandomizedOrdering = RandomizedOrdering,
        ConcurrencyLevel = ConcurrencyLevel,
        TimeToPickupSeconds = TimeToPickupSeconds,
        ExecutionTimeoutSeconds = ExecutionTimeoutSeconds,
        Waves = Waves,
        WavePauseSeconds = WavePauseSeconds,
        FailureThreshold = FailureThreshold,
        TargetRunTimeoutSeconds = TargetRunTimeoutSeconds,
    };

    public void Start(DateTimeOffset now)
    {
        if (State == InvocationState.Stopped) throw new DomainException($"Invocation {Id} has already ended.");
        State = InvocationState.Running;
        StartedAt ??= now;
    }

    public WavePlan WavePlan => WavePlan.Parse(Waves);

    public FailureThreshold? Threshold => Execution.FailureThreshold.Parse(FailureThreshold);

    public TimeSpan WavePause => TimeSpan.FromSeconds(WavePauseSeconds ?? 0);

    public void Halt(string reason)
    {
        if (State != InvocationState.Running) throw new DomainException($"Invocation {Id} is not running; its rollout cannot be halted.");
        HaltReason ??= reason;
    }

    public void Stop(DateTimeOffset now, string? cancelReason = null)
    {
        if (State == InvocationState.Stopped) return;
        State = InvocationState.Stopped;
        EndedAt = now;
        CancelReason ??= cancelReason;
    }
}

/// <summary>Everything needed to create an invocation, already resolved from a façade's wire shape.</summary>
public sealed record InvocationSpec
{
    public string JobCategory { get; init; } = "Commands";
    public string? Description { get; init; }
    public long? TemplateId { get; init; }
    public string TemplateName { get; init; } = "Run Command - Script Default";
    public string? Feature { get; init; }
    public InvocationOrigin Origin { get; init; }
    public CommandKind CommandKind { get; init; }
    /// <summary>The script as people may see it (sensitive values masked).</summary>
    public string Script { get; init; } = "";
    /// <summary>The runnable script, encrypted by the server, when <see cref="Script"/> is masked.</summary>
    public string? SealedScript { get; init; }
    public string InputsJson { get; init; } = "{}";
    public string? EffectiveUser { get; init; }
    public TargetingType TargetingType { get; init; }
    public string? SearchQuery { get; init; }
    public long? BookmarkId { get; init; }
    public IReadOnlyList<Guid>? HostIds { get; init; }
    public bool RandomizedOrdering { get; init; }
    public int? ConcurrencyLevel { get; init; }
    public int? TimeToPickupSeconds { get; init; }
    public int? ExecutionTimeoutSeconds { get; init; }
    public DateTimeOffset? StartAt { get; init; }
    public DateTimeOffset? StartBefore { get; init; }
    public long? RecurringLogicId { get; init; }
    public string? Waves { get; init; }
    public int? WavePauseSeconds { get; init; }
    public string? FailureThreshold { get; init; }
    public int? TargetRunTimeoutSeconds { get; init; }

    public void Validate()
    {
        WavePlan.Parse(Waves);
        Execution.FailureThreshold.Parse(FailureThreshold);
        if (WavePauseSeconds is < 0 or > 7 * 86_400) throw new DomainException("The pause between waves must be between 0 seconds and 7 days.", nameof(WavePauseSeconds));
        if (TargetRunTimeoutSeconds is <= 0) throw new DomainException("The target-run timeout must be a positive number of seconds.", nameof(TargetRunTimeoutSeconds));
        if (CommandKind == CommandKind.Script && string.IsNullOrWhiteSpace(Script)) throw new DomainException("There is nothing to run: the script is empty.");
        if (ConcurrencyLevel is <= 0) throw new DomainException("The concurrency level must be a positive number.", nameof(ConcurrencyLevel));
        if (TimeToPickupSeconds is <= 0) throw new DomainException("The time to pick up must be a positive number of seconds.", nameof(TimeToPickupSeconds));
        if (ExecutionTimeoutSeconds is <= 0) throw new DomainException("The execution timeout must be a positive number of seconds.", nameof(ExecutionTimeoutSeconds));
        if (StartAt is { } start && StartBefore is { } before && before <= start)
            throw new DomainException("The latest start time must be later than the start time.", nameof(StartBefore));
    }
}
