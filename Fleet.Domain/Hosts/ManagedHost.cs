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
    /// <summary>When a secret was last handed to an agent; once set, only an operator's decision can hand out another.</summary>
    public DateTimeOffset? SecretIssuedAt { get; private set; }
    /// <summary>When the agent proved it stored the secret it was issued (the handshake's ConfirmSecret).</summary>
    public DateTimeOffset? SecretConfirmedAt { get; private set; }
    /// <summary>When an operator revoked the host's secret (directly, or by approving a re-enrolment).</summary>
    public DateTimeOffset? SecretRevokedAt { get; private set; }
    /// <summary>Where the agent holding the secret last connected from, and the boot id it sent: shown next to a re-enrolment request.</summary>
    public string? AgentAddress { get; private set; }
    public string? AgentBootId { get; private set; }
    /// <summary>When the host went offline; agent-lost decisions count from here.</summary>
    public DateTimeOffset? OfflineSince { get; private set; }
    /// <summary>When two agents last presented this machine id at once (cloned VM images); null if never.</summary>
    public DateTimeOffset? DuplicateSeenAt { get; private set; }
    public string? DuplicateDetail { get; private set; }

    public string Platform { get; private set; } = "";
    public string OsVersion { get; private set; } = "";
    public string KernelVersion { get; private set; } = "";
    public string AgentVersion { get; private set; } = "";
    public int CpuCount { get; private set; }
    public string CpuModel { get; private set; } = "";
    public long MemoryTotalBytes { get; private set; }
    public long UptimeSeconds { get; private set; }
    public string IpAddress { get; private set; } = "";
    public string? SerialNumber { get; private set; }
    public string? Model { get; private set; }
    public string? Manufacturer { get; private set; }
    /// <summary>Where the machine stands (building, rack): set by operators, never by the agent.</summary>
    public string? Location { get; private set; }
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
    /// True only for an approved host whose agent never received a secret: the first hello after approval gets it.
    /// After that a secret is handed out again only through an operator's decision (<see cref="ReplaceSecret"/>).
    /// </summary>
    public bool CanIssueFirstSecret => Approval == HostApproval.Approved && SecretIssuedAt is null && SecretHash is null;

    public void IssueFirstSecret(string secretHash, DateTimeOffset now)
    {
        if (!CanIssueFirstSecret) throw new DomainException($"Host '{Hostname}' already had a secret issued; only an operator can issue another.");
        SetSecret(secretHash, now);
    }

    /// <summary>
    /// An approved host holding a secret its agent never confirmed: the connection that received it was lost between
    /// the hello and <c>ConfirmSecret</c> (a server under load, a flaky network). Whether the agent that asks again may
    /// take a fresh one is the gateway's decision (no connection may hold or be confirming the old one).
    /// </summary>
    public bool HasUnconfirmedSecret => Approval == HostApproval.Approved && SecretHash is not null && SecretConfirmedAt is null;

    public void ReissueUnconfirmedSecret(string secretHash, DateTimeOffset now)
    {
        if (!HasUnconfirmedSecret) throw new DomainException($"Host '{Hostname}' has no unconfirmed secret; only an operator can issue another.");
        SetSecret(secretHash, now);
    }

    /// <summary>An operator-approved re-enrolment (or the server's own agent) takes the identity over with a fresh secret.</summary>
    public void ReplaceSecret(string secretHash, DateTimeOffset now)
    {
        if (Approval != HostApproval.Approved) throw new DomainException($"Host '{Hostname}' is not approved.");
        SetSecret(secretHash, now);
    }

    private void SetSecret(string secretHash, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(secretHash)) throw new DomainException("A secret hash is required.");
        SecretHash = secretHash;
        SecretIssuedAt = now;
        SecretConfirmedAt = null;
        SecretRevokedAt = null;
    }

    public void ConfirmSecret(DateTimeOffset now)
    {
        if (SecretHash is null) throw new DomainException($"Host '{Hostname}' has no secret to confirm.");
        SecretConfirmedAt ??= now;
    }

    /// <summary>Invalidates the secret: the agent holding it is refused from now on, and the host goes offline.</summary>
    public void RevokeSecret(DateTimeOffset now)
    {
        if (Approval != HostApproval.Approved) throw new DomainException($"Only an approved host can be revoked; '{Hostname}' is {Approval.ToString().ToLowerInvariant()}.");
        if (SecretHash is null && SecretIssuedAt is not null) throw new DomainException($"Host '{Hostname}' has no valid secret; it is already revoked.");
        SecretHash = null;
        SecretIssuedAt ??= now;
        SecretRevokedAt = now;
        MarkOffline(now);
    }

    public bool IsRevoked => SecretRevokedAt is not null && SecretHash is null;

    /// <summary>The authenticated agent's address and boot id, recorded when it is accepted.</summary>
    public void RecordAgent(string? address, string? bootId)
    {
        AgentAddress = Truncate(address, 100);
        AgentBootId = Truncate(bootId, 100);
    }

    public void FlagDuplicate(string detail, DateTimeOffset now)
    {
        DuplicateSeenAt = now;
        DuplicateDetail = Truncate(detail, 500);
    }

    public void ClearDuplicate()
    {
        DuplicateSeenAt = null;
        DuplicateDetail = null;
    }

    /// <summary>Offline for at least <paramref name="after"/>: its agent is lost and its running work will not report back.</summary>
    public bool IsLost(DateTimeOffset now, TimeSpan after) =>
        Connectivity == HostConnectivity.Offline && (OfflineSince ?? LastSeen) <= now - after;

    private static string? Truncate(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= max ? value : value[..max];

    public void Reject(DateTimeOffset now)
    {
        if (Approval != HostApproval.Pending) throw new DomainException($"Only a pending host can be rejected; '{Hostname}' is {Approval.ToString().ToLowerInvariant()}.");
        Approval = HostApproval.Rejected;
        MarkOffline(now);
    }

    public void MarkOnline(DateTimeOffset now)
    {
        if (Approval == HostApproval.Rejected) throw new DomainException($"Rejected host '{Hostname}' cannot come online.");
        Connectivity = HostConnectivity.Online;
        OfflineSince = null;
        LastSeen = now;
    }

    public void MarkOffline(DateTimeOffset now)
    {
        if (Connectivity == HostConnectivity.Offline && OfflineSince is not null) return;
        Connectivity = HostConnectivity.Offline;
        OfflineSince = now;
    }

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
        SerialNumber = facts.SerialNumber;
        Model = facts.Model;
        Manufacturer = facts.Manufacturer;
        Seen(now);
    }

    /// <param name="fullInventoryHash">The hash of a complete inventory; null for a partial refresh, which keeps the old hash.</param>
    public void RecordInventory(string? fullInventoryHash, DateTimeOffset now)
    {
        if (!string.IsNullOrEmpty(fullInventoryHash)) InventoryHash = fullInventoryHash;
        InventoryUpdatedAt = now;
    }

    public void SetLocation(string? location)
    {
        if (location is { Length: > 255 }) throw new DomainException("A location is at most 255 characters.");
        Location = string.IsNullOrWhiteSpace(location) ? null : location.Trim();
    }

    public void ReportError(string? error) => LastError = string.IsNullOrWhiteSpace(error) ? null : error;
}
