using Fleet.Domain.Orchestration;

namespace Fleet.Web.Engine.Orchestration;

public sealed record ChildHostView(Guid Id, string Name, string Type, string Status, DateTimeOffset UpdatedAt);

/// <param name="OrchestrationBlockedReason">Why an orchestrated reboot cannot start now (licence, host state, no running child); null when it can.</param>
/// <param name="ActiveOrchestrationId">The host's orchestrated reboot in progress, if any.</param>
public sealed record RebootPreCheck(
    Guid HostId,
    string Hostname,
    bool HostActive,
    IReadOnlyList<ChildHostView> Children,
    IReadOnlyList<ChildHostView> RunningChildren,
    bool HasContainerEngine,
    LicenseTier Tier,
    string? OrchestrationBlockedReason,
    Guid? ActiveOrchestrationId = null,
    bool IsFleetServer = false)
{
    public bool HasRunningChildren => RunningChildren.Count > 0;
    public bool LicenceAllowsOrchestration => Tier.AllowsOrchestratedReboot();
}

/// <param name="StopStatus">pending | stopping | stopped | failed | timeout</param>
/// <param name="RestartStatus">pending | starting | running | failed</param>
public sealed record OrchestrationChildView(Guid Id, string Name, string Type, string PreRebootStatus, string StopStatus, string RestartStatus, string? Error);

public sealed record OrchestrationView(
    Guid Id,
    Guid ParentHostId,
    string Hostname,
    OrchestrationStatus Status,
    IReadOnlyList<OrchestrationChildView> Children,
    int ShutdownTimeoutSeconds,
    string InitiatedBy,
    DateTimeOffset InitiatedAt,
    DateTimeOffset? ShutdownCompletedAt,
    DateTimeOffset? RebootIssuedAt,
    DateTimeOffset? AgentReconnectedAt,
    DateTimeOffset? RestartCompletedAt,
    DateTimeOffset? FailedAt,
    string? ErrorMessage,
    long? RebootInvocationId);

/// <summary>The licence tier does not include this feature (seed 001 answers 402).</summary>
public sealed class LicenseRequiredException(string message) : Exception(message);

/// <summary>
/// Rebooting hosts that run child hosts: what a reboot would affect and the orchestrated reboot itself (a plain
/// reboot is <see cref="IPowerService"/>'s). Unknown host → <see cref="HostNotFoundException"/>; a host that cannot do it now → DomainException.
/// </summary>
public interface IRebootOrchestrations
{
    LicenseTier Tier { get; }
    Task<RebootPreCheck> PreCheckAsync(Guid hostId, CancellationToken ct = default);
    Task<OrchestrationView> StartAsync(Guid hostId, string initiatedBy, CancellationToken ct = default);
    /// <returns>null when the orchestration does not exist or belongs to another host.</returns>
    Task<OrchestrationView?> GetAsync(Guid hostId, Guid orchestrationId, CancellationToken ct = default);
}
