using Fleet.Domain.Inventory;

namespace Fleet.Domain.Hosts;

/// <summary>
/// A managed machine. Its approval decides whether its agent may act; its connectivity says whether
/// the agent holds a live connection. State moves only through the methods below.
/// </summary>
public sealed class ManagedHost
{
    private ManagedHost() { }

    public ManagedHost(Guid id, string machineId, string hostname, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(machineId)) throw new DomainException("A host needs a machine id.");
        if (string.IsNullOrWhiteSpace(hostname)) throw new DomainException("A host needs a hostname.");
        Id = id;
        MachineId = machineId;
        Hostname = hostname;
        EnrolledAt = now;
        LastSeen = now;
    }

    public Guid Id { get; private set; }
    /// <summary>Stable identity the agent derives from the machine (/etc/machine-id), so a re-install finds its host again.</summary>
    public string MachineId { get; private set; } = "";
    public string Hostname { get; private set; } = "";
    public HostApproval Approval { get; private set; }
    public HostConnectivity Connectivity { get; private set; }
    public DateTimeOffset EnrolledAt { get; private set; }
    public DateTimeOffset LastSeen { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }
    public string? SecretHash { get; private set; }
    /// <summary>When the agent first authenticated with its secret; until then the secret may be re-issued.</summary>
    public DateTimeOffset? SecretConfirmedAt { get; private set; }

    public string Platform { get; private set; } = "";
    public string OsVersion { get; private set; } = "";
    public string KernelVersion { get; private set; } = "";
    public string AgentVersion { get; private set; } = "";
    public int CpuCount { get; private set; }
    public string CpuModel { get; private set; } = "";
    public long MemoryTotalBytes { get; private set; }
    public long UptimeSeconds { get; private set; }
    public string IpAddress { get; private set; } = "";
    /// <summary>Hash of the last inventory the agent sent, so a reconnecting agent re-sends only what changed.</summary>
    public string? InventoryHash { get; private set; }
    public DateTimeOffset? InventoryUpdatedAt { get; private set; }
    /// <summary>The last error the agent reported (failed collection, ...); null when healthy.</summary>
    public string? LastError { get; private set; }

    /// <summary>Whether the agent found a container engine (LXD, Docker, ...) on the host.</summary>
    public bool HasContainerEngine { get; private set; }
    /// <summary>When the agent last reported the host's child hosts; null if it never did.</summary>
    public DateTimeOffset? ChildrenReportedAt { get; private set; }

    public bool IsOnline => Connectivity == HostConnectivity.Online;

    /// <summary>Active in seed 001's sense: approved, and its agent holds a live connection.</summary>
    public bool IsActive => Approval == HostApproval.Approved && Connectivity == HostConnectivity.Online;

    public void RecordChildReport(bool hasContainerEngine, DateTimeOffset now)
    {
        HasContainerEngine = hasContainerEngine;
        ChildrenReportedAt = now;
    }

    public void Approve(DateTimeOffset now)
    {
        if (Approval == HostApproval.Approved) throw new DomainException($"Host '{Hostname}' is already approved.");
        if (Approval == HostApproval.Rejected) throw new DomainException($"Host '{Hostname}' was rejected; remove it and let its agent enrol again.");
        Approval = HostApproval.Approved;
        ApprovedAt = now;
    }

    /// <summary>
    /// True while the host's secret may be handed to an agent presenting the enrolment token: the host is
    /// approved and no agent has yet proved it holds a secret (a lost reply must not lock the agent out).
    /// </summary>
    public bool CanIssueSecret => Approval == HostApproval.Approved && SecretConfirmedAt is null;

    public void IssueSecret(string secretHash)
    {
        if (!CanIssueSecret) throw new DomainException($"Host '{Hostname}' already has an agent with a confirmed secret.");
        if (string.IsNullOrEmpty(secretHash)) throw new DomainException("A secret hash is required.");
        SecretHash = secretHash;
    }

    public void ConfirmSecret(DateTimeOffset now) => SecretConfirmedAt ??= now;

    public void Reject()
    {
        if (Approval != HostApproval.Pending) throw new DomainException($"Only a pending host can be rejected; '{Hostname}' is {Approval.ToString().ToLowerInvariant()}.");
        Approval = HostApproval.Rejected;
        Connectivity = HostConnectivity.Offline;
    }

    public void MarkOnline(DateTimeOffset now)
    {
        if (Approval == HostApproval.Rejected) throw new DomainException($"Rejected host '{Hostname}' cannot come online.");
        Connectivity = HostConnectivity.Online;
        LastSeen = now;
    }

    public void MarkOffline() => Connectivity = HostConnectivity.Offline;

    public void Seen(DateTimeOffset now)
    {
        if (now > LastSeen) LastSeen = now;
    }

    public void Rename(string hostname)
    {
        if (!string.IsNullOrWhiteSpace(hostname)) Hostname = hostname;
    }

    public void ApplyFacts(HostFacts facts, DateTimeOffset now)
    {
        Rename(facts.Hostname);
        Platform = facts.Platform;
        OsVersion = facts.OsVersion;
        KernelVersion = facts.KernelVersion;
        AgentVersion = facts.AgentVersion;
        CpuCount = facts.CpuCount;
        CpuModel = facts.CpuModel;
        MemoryTotalBytes = facts.MemoryTotalBytes;
        UptimeSeconds = facts.UptimeSeconds;
        IpAddress = facts.IpAddress;
        Seen(now);
    }

    /// <param name="fullInventoryHash">The hash of a complete inventory; null for a partial refresh, which keeps the old hash.</param>
    public void RecordInventory(string? fullInventoryHash, DateTimeOffset now)
    {
        if (!string.IsNullOrEmpty(fullInventoryHash)) InventoryHash = fullInventoryHash;
        InventoryUpdatedAt = now;
    }

    public void ReportError(string? error) => LastError = string.IsNullOrWhiteSpace(error) ? null : error;
}
