using Fleet.Domain.Inventory;

namespace Fleet.Web.Engine;

public sealed record FleetCounts(int Total, int Online, int Offline, int PendingApproval, int WithErrors, DateTimeOffset LastUpdated);

public enum HostStatusFilter
{
    Any,
    Online,
    Offline,
    Pending,
    Rejected,
    Errors,
}

/// <param name="SortBy">hostname | status | platform | os_version | ip_address | agent_version | last_seen</param>
/// <param name="Page">Zero-based.</param>
public sealed record HostListQuery(
    string? Search = null,
    string? Platform = null,
    HostStatusFilter Status = HostStatusFilter.Any,
    string SortBy = "hostname",
    bool Descending = false,
    int Page = 0,
    int PageSize = 25);

/// <param name="Status">online | offline | pending | rejected — the one status word a user sees.</param>
public sealed record HostRow(
    Guid Id,
    string Hostname,
    string Status,
    string Platform,
    string OsVersion,
    string IpAddress,
    string AgentVersion,
    DateTimeOffset LastSeen,
    string? LastError,
    bool DuplicateMachineId = false,
    bool ReenrolmentRequested = false,
    int? FullestDiskPercent = null,
    LastJobResult? LastJob = null);

/// <summary>The host's most recent finished target run: which job, and how it ended there.</summary>
public sealed record LastJobResult(long InvocationId, string Status, DateTimeOffset? EndedAt);

public sealed record Paged<T>(IReadOnlyList<T> Items, int Total);

public sealed record HostDetail(
    Guid Id,
    string Hostname,
    string Status,
    string Platform,
    string OsVersion,
    string KernelVersion,
    string AgentVersion,
    int CpuCount,
    string CpuModel,
    long MemoryTotalBytes,
    long UptimeSeconds,
    string IpAddress,
    DateTimeOffset EnrolledAt,
    DateTimeOffset LastSeen,
    DateTimeOffset? InventoryUpdatedAt,
    string? LastError,
    HostTrust? Trust = null)
{
    /// <summary>When the machine booted: the uptime its agent reported, counted back from when the report arrived.</summary>
    public DateTimeOffset? BootedAt => InventoryUpdatedAt is { } reportedAt ? reportedAt - TimeSpan.FromSeconds(UptimeSeconds) : null;
}

/// <summary>Who holds the host's identity: the agent with the secret, a revocation, a duplicate, a re-enrolment waiting for an operator.</summary>
public sealed record HostTrust(
    bool Approved,
    bool Revoked,
    DateTimeOffset? RevokedAt,
    string? AgentAddress,
    string? AgentBootId,
    DateTimeOffset? DuplicateSeenAt,
    string? DuplicateDetail,
    ReenrolmentView? Reenrolment);

/// <summary>An open re-enrolment request: the requester next to the agent that held the secret when it asked.</summary>
public sealed record ReenrolmentView(
    string Hostname,
    string? RemoteAddress,
    string? BootId,
    string? CurrentAgentAddress,
    string? CurrentAgentBootId,
    DateTimeOffset RequestedAt,
    DateTimeOffset LastRequestedAt,
    bool Approved);

/// <summary>A stored inventory section and when the agent last sent it (null: never).</summary>
public sealed record InventorySection<T>(IReadOnlyList<T> Items, DateTimeOffset? UpdatedAt)
{
    public static InventorySection<T> Empty { get; } = new([], null);
}

public sealed record HostInventoryView(
    InventorySection<StorageDevice> Storage,
    InventorySection<NetworkInterfaceInfo> Network,
    InventorySection<UserAccount> Users,
    InventorySection<UserGroup> Groups,
    InventorySection<SoftwarePackage> Software);

public enum InventoryRequestOutcome
{
    /// <summary>Delivered to the host's connected agent.</summary>
    Sent,
    /// <summary>Recorded; the host's agent is offline and gets it when it reconnects.</summary>
    Queued,
    NotFound,
    NotApproved,
}

/// <param name="RequestId">The recorded request; null when none was recorded (unknown or unapproved host).</param>
public sealed record InventoryRequestResult(Guid HostId, InventoryRequestOutcome Outcome, Guid? RequestId);

/// <param name="Results">One per distinct host id asked for, in the order asked.</param>
public sealed record InventoryRefresh(Guid BatchId, IReadOnlyList<InventoryRequestResult> Results, DateTimeOffset EstimatedCompletion)
{
    public int RequestsSent => Results.Count(r => r.Outcome == InventoryRequestOutcome.Sent);
}
