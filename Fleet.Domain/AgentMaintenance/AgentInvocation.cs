namespace Fleet.Domain.AgentMaintenance;

/// <summary>
/// One instance's agent maintenance task (seed 003): install, update, roll back or retry one agent. It runs as one target
/// run of an engine invocation and follows it: WAITING → RUNNING → SUCCEEDED | FAILED | TIMEOUT; a succeeded (or failed)
/// UPDATE later undone by a ROLLBACK becomes ROLLBACKED. State moves only through the methods below.
/// </summary>
public sealed class AgentInvocation
{
    public const string DefaultTarget = AgentMaintenanceWords.Telescope;

    private AgentInvocation() { }

    /// <param name="runsOnHostId">The host whose agent does the work: the host itself, a child's parent, or the remote installer.</param>
    public AgentInvocation(string id, AgentInvocationType type, string instanceId, InstanceKind instanceKind, string instanceName, Guid runsOnHostId,
        string createdBy, DateTimeOffset now, string? versionBefore = null, string? targetVersion = null, string? retryOf = null, string? rollbackOf = null,
        string? origin = null)
    {
        if (!AgentInvocationRequest.IsValidId(id)) throw new DomainException($"'{id}' is not a valid invocation id.");
        if (string.IsNullOrWhiteSpace(instanceId)) throw new DomainException("An agent invocation needs an instance id.");
        if (type == AgentInvocationType.SetRemoteInstallHost) throw new DomainException("Designating the remote install host is not a task that runs.");
        if (type == AgentInvocationType.Rollback && rollbackOf is null) throw new DomainException("A ROLLBACK names the invocation it undoes.");
        if (type == AgentInvocationType.Retry) throw new DomainException("A RETRY is recorded as a new task of the retried type, with retry_of set.");
        Id = id;
        Type = type;
        InstanceId = instanceId;
        InstanceKind = instanceKind;
        InstanceName = string.IsNullOrWhiteSpace(instanceName) ? instanceId : instanceName;
        RunsOnHostId = runsOnHostId;
        CreatedBy = createdBy;
        CreatedAt = now;
        UpdatedAt = now;
        VersionBefore = versionBefore;
        TargetVersion = targetVersion;
        RetryOf = retryOf;
        RollbackOf = rollbackOf;
        Origin = origin;
        Status = AgentInvocationStatus.Waiting;
    }

    public static string NewId() => Guid.NewGuid().ToString("D");

    public string Id { get; private set; } = "";
    public AgentInvocationType Type { get; private set; }
    public string Target { get; private set; } = DefaultTarget;
    public string InstanceId { get; private set; } = "";
    public InstanceKind InstanceKind { get; private set; }
    public string InstanceName { get; private set; } = "";
    public Guid RunsOnHostId { get; private set; }
    public AgentInvocationStatus Status { get; private set; }
    public string? VersionBefore { get; private set; }
    public string? TargetVersion { get; private set; }
    public string? VersionAfter { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public string? ErrorCode { get; private set; }
    public string? ErrorMessage { get; private set; }
    public long? EngineInvocationId { get; private set; }
    public Guid? TargetRunId { get; private set; }
    /// <summary>For installs: the host the new agent enrolled as.</summary>
    public Guid? EnrolledHostId { get; private set; }
    /// <summary>For installs: the install command itself succeeded; SUCCEEDED waits for the new agent to be connected too.</summary>
    public bool RunSucceeded { get; private set; }
    public string? RetryOf { get; private set; }
    public string? RollbackOf { get; private set; }
    /// <summary>For ROLLBACKED: the ROLLBACK that undid it.</summary>
    public string? RolledBackBy { get; private set; }
    public string? Origin { get; private set; }
    public string CreatedBy { get; private set; } = "";

    public bool IsFinal => Status is AgentInvocationStatus.Succeeded or AgentInvocationStatus.Failed or AgentInvocationStatus.Timeout or AgentInvocationStatus.Rollbacked;

    /// <summary>Links the engine job and target run it runs as; once, before it starts.</summary>
    public void Attach(long engineInvocationId, Guid targetRunId, DateTimeOffset now)
    {
        if (Status != AgentInvocationStatus.Waiting || EngineInvocationId is not null)
            throw new DomainException($"Agent invocation {Id} is already attached to job {EngineInvocationId}.");
        EngineInvocationId = engineInvocationId;
        TargetRunId = targetRunId;
        UpdatedAt = now;
    }

    public void Start(DateTimeOffset now)
    {
        if (Status != AgentInvocationStatus.Waiting) throw Illegal("start");
        Status = AgentInvocationStatus.Running;
        StartedAt = now;
        UpdatedAt = now;
    }

    /// <summary>The new agent of an install enrolled (its ticket was redeemed by this host).</summary>
    public void RecordEnrolment(Guid hostId, DateTimeOffset now)
    {
        if (!Type.IsInstall()) throw new DomainException($"Agent invocation {Id} is a {Type.Word()}, not an install.");
        if (IsFinal) throw Illegal("record an enrolment for");
        if (EnrolledHostId is { } known && known != hostId) throw new DomainException($"Agent invocation {Id} already enrolled host {known}.");
        EnrolledHostId = hostId;
        UpdatedAt = now;
    }

    /// <summary>The step's command succeeded. An install succeeds only once its new agent is connected too (<paramref name="newAgentConnected"/>).</summary>
    /// <returns>Whether it is now SUCCEEDED.</returns>
    public bool RecordRunSucceeded(DateTimeOffset now, string? versionAfter, bool newAgentConnected = false)
    {
        if (IsFinal) throw Illegal("succeed");
        if (Status == AgentInvocationStatus.Waiting) Start(now);
        RunSucceeded = true;
        UpdatedAt = now;
        if (Type.IsInstall() && !(EnrolledHostId is not null && newAgentConnected)) return false;
        Status = AgentInvocationStatus.Succeeded;
        VersionAfter = versionAfter ?? TargetVersion;
        EndedAt = now;
        return true;
    }

    /// <summary>The enrolled agent of an install whose command already succeeded is now connected and accepted.</summary>
    public void CompleteInstall(DateTimeOffset now, string? agentVersion)
    {
        if (!Type.IsInstall() || EnrolledHostId is null || !RunSucceeded) throw new DomainException($"Agent invocation {Id} has no finished install to complete.");
        if (Status != AgentInvocationStatus.Running) throw Illegal("complete");
        Status = AgentInvocationStatus.Succeeded;
        VersionAfter = string.IsNullOrWhiteSpace(agentVersion) ? TargetVersion : agentVersion;
        EndedAt = now;
        UpdatedAt = now;
    }

    public void Fail(DateTimeOffset now, InstanceError error) => End(AgentInvocationStatus.Failed, now, error);

    public void TimeOut(DateTimeOffset now, InstanceError error) => End(AgentInvocationStatus.Timeout, now, error);

    /// <summary>A ROLLBACK of this UPDATE succeeded: its version is gone again.</summary>
    public void MarkRolledBack(string rollbackInvocationId, DateTimeOffset now)
    {
        if (Type != AgentInvocationType.Update) throw new DomainException($"Agent invocation {Id} is a {Type.Word()}; only an UPDATE is rolled back.");
        if (Status is not (AgentInvocationStatus.Succeeded or AgentInvocationStatus.Failed)) throw Illegal("mark rolled back");
        Status = AgentInvocationStatus.Rollbacked;
        RolledBackBy = rollbackInvocationId;
        UpdatedAt = now;
    }

    /// <summary>Whether a ROLLBACK may undo it: an UPDATE that ended SUCCEEDED or FAILED and knows the version it replaced.</summary>
    public bool CanBeRolledBack => Type == AgentInvocationType.Update && Status is AgentInvocationStatus.Succeeded or AgentInvocationStatus.Failed
        && !string.IsNullOrWhiteSpace(VersionBefore);

    public bool CanBeRetried => Status is AgentInvocationStatus.Failed or AgentInvocationStatus.Timeout;

    private void End(AgentInvocationStatus status, DateTimeOffset now, InstanceError error)
    {
        if (IsFinal) throw Illegal($"end as {status.Word()}");
        Status = status;
        ErrorCode = error.Code;
        ErrorMessage = error.Message;
        StartedAt ??= now;
        EndedAt = now;
        UpdatedAt = now;
    }

    private DomainException Illegal(string what) => new($"Cannot {what} agent invocation {Id}: it is {Status.Word()}.");
}
