namespace Fleet.Domain.Hosts;

public enum ReenrolmentStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    /// <summary>The approved requester received the host's new secret.</summary>
    Completed = 3,
    /// <summary>Overtaken: the host was revoked, or the approved requester left before taking its secret.</summary>
    Superseded = 4,
}

/// <summary>
/// An agent presented the enrolment token and the machine id of a host that already has an agent holding its secret.
/// That never touches the host: the request waits for an operator, who sees both agents' addresses and boot ids.
/// Approving it revokes the old secret; the requester then receives a new one.
/// </summary>
public sealed class ReenrolmentRequest
{
    private ReenrolmentRequest() { }

    public ReenrolmentRequest(Guid id, Guid hostId, string hostname, string? remoteAddress, string? bootId,
        string? currentAgentAddress, string? currentAgentBootId, DateTimeOffset now)
    {
        Id = id;
        HostId = hostId;
        RequestedAt = now;
        CurrentAgentAddress = Clip(currentAgentAddress);
        CurrentAgentBootId = Clip(currentAgentBootId);
        Renew(hostname, remoteAddress, bootId, now);
    }

    public Guid Id { get; private set; }
    public Guid HostId { get; private set; }
    /// <summary>The hostname the requester claims; only for the operator to read.</summary>
    public string Hostname { get; private set; } = "";
    public string? RemoteAddress { get; private set; }
    public string? BootId { get; private set; }
    /// <summary>The agent holding the secret when the request was made (null if none had connected yet).</summary>
    public string? CurrentAgentAddress { get; private set; }
    public string? CurrentAgentBootId { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset LastRequestedAt { get; private set; }
    public ReenrolmentStatus Status { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    public bool IsOpen => Status is ReenrolmentStatus.Pending or ReenrolmentStatus.Approved;

    /// <summary>The requester said hello again while still waiting (a reconnect); the operator sees the latest address.</summary>
    public void Renew(string hostname, string? remoteAddress, string? bootId, DateTimeOffset now)
    {
        if (Status != ReenrolmentStatus.Pending) throw new DomainException($"Re-enrolment request {Id} is {Status.ToString().ToLowerInvariant()}, not pending.");
        Hostname = Clip(hostname) ?? "";
        RemoteAddress = Clip(remoteAddress);
        BootId = Clip(bootId);
        LastRequestedAt = now;
    }

    public void Approve(DateTimeOffset now) => Decide(ReenrolmentStatus.Approved, now);

    public void Reject(DateTimeOffset now) => Decide(ReenrolmentStatus.Rejected, now);

    public void Complete(DateTimeOffset now)
    {
        if (Status != ReenrolmentStatus.Approved) throw new DomainException($"Re-enrolment request {Id} is {Status.ToString().ToLowerInvariant()}, not approved.");
        Status = ReenrolmentStatus.Completed;
        DecidedAt ??= now;
    }

    public void Supersede(DateTimeOffset now)
    {
        if (!IsOpen) return;
        Status = ReenrolmentStatus.Superseded;
        DecidedAt = now;
    }

    private void Decide(ReenrolmentStatus to, DateTimeOffset now)
    {
        if (Status != ReenrolmentStatus.Pending) throw new DomainException($"Re-enrolment request {Id} is {Status.ToString().ToLowerInvariant()}; only a pending request can be decided.");
        Status = to;
        DecidedAt = now;
    }

    private static string? Clip(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= 255 ? value : value[..255];
}
