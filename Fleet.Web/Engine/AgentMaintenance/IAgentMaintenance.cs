using Fleet.Domain.AgentMaintenance;

namespace Fleet.Web.Engine.AgentMaintenance;

/// <summary>Who asks: the name recorded as owner and in the audit log, and the role that decides which task types they may create.</summary>
/// <param name="Kind">user or token, as the audit log records actors.</param>
public sealed record MaintenanceCaller(string Name, string Role, string Kind = "token");

/// <summary>One instance's answer to a batch create (seed 003 Table 6). ErrorCode/ErrorMessage only when <see cref="Succeeded"/> is false.</summary>
/// <param name="InvocationId">The agent invocation created for the instance; null when the instance was refused.</param>
public sealed record BatchCreateResult(string InstanceId, string? InvocationId, bool Succeeded, string? ErrorCode, string? ErrorMessage);

/// <summary>Filters and paging of the agent-invocation list; null filters match everything.</summary>
public sealed record AgentInvocationFilter(
    string? InvocationId = null,
    string? InstanceId = null,
    AgentInvocationType? InvocationType = null,
    AgentInvocationStatus? Status = null,
    int Offset = 0,
    int Limit = 100);

/// <summary>One agent invocation as the API and the Agents page show it.</summary>
/// <param name="InstanceType">host, child or remote: what <see cref="InstanceId"/> names.</param>
/// <param name="EngineInvocationId">The engine invocation (seed 002 job) the step runs as; null before it is created or when refused.</param>
/// <param name="TargetRunId">The target run (seed 004) the step runs as.</param>
public sealed record AgentInvocationView(
    string InvocationId,
    string InstanceId,
    string InstanceName,
    string InstanceType,
    AgentInvocationType Type,
    string Target,
    AgentInvocationStatus Status,
    string? VersionBefore,
    string? TargetVersion,
    string? VersionAfter,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? ErrorCode,
    string? ErrorMessage,
    string? RetryOf,
    string? RollbackOf,
    long? EngineInvocationId,
    Guid? TargetRunId,
    Guid? EnrolledHostId,
    string CreatedBy);

public sealed record AgentInvocationPage(IReadOnlyList<AgentInvocationView> Items, int Count);

/// <summary>The host designated by SET_REMOTE_INSTALL_HOST, whose agent reaches remote machines over SSH.</summary>
public sealed record RemoteInstaller(Guid HostId, string Hostname, bool Online, DateTimeOffset DesignatedAt, string DesignatedBy);

/// <summary>How many approved hosts run each agent version, for the Agents page.</summary>
/// <param name="DefaultVersion">The default package's version (what new installs and BASIC_VERSION get); null when no package is stored.</param>
/// <param name="OutOfDate">Approved hosts whose agent version differs from <see cref="DefaultVersion"/>.</param>
public sealed record AgentVersionSummary(IReadOnlyList<AgentVersionCount> Versions, string? DefaultVersion, int OutOfDate);

public sealed record AgentVersionCount(string Version, int Hosts);

/// <summary>
/// Seed 003's agent maintenance tasks on the engine: install (child hosts through their parent, registered remote
/// machines over SSH from the designated installer), update, roll back and retry agents. Each accepted instance becomes
/// an <see cref="AgentInvocation"/> that runs as an ordinary engine job (origin AgentMaintenance) and follows its target run.
/// One refused instance never fails the others; the request itself must have passed <see cref="AgentInvocationRequest.Validate"/>.
/// </summary>
public interface IAgentMaintenance
{
    /// <summary>One result per instance (or per invocation id for ROLLBACK/RETRY, per entry for REMOTE_INSTALL), in request order.</summary>
    /// <exception cref="Fleet.Domain.DomainException">The request breaks a rule of the document (callers validate first).</exception>
    Task<IReadOnlyList<BatchCreateResult>> BatchCreateAsync(AgentInvocationRequest request, MaintenanceCaller caller, CancellationToken ct = default);

    /// <summary>Newest first.</summary>
    Task<AgentInvocationPage> ListAsync(AgentInvocationFilter filter, CancellationToken ct = default);

    Task<AgentInvocationView?> GetAsync(string invocationId, CancellationToken ct = default);

    Task<RemoteInstaller?> CurrentInstallerAsync(CancellationToken ct = default);

    Task<AgentVersionSummary> VersionSummaryAsync(CancellationToken ct = default);
}
