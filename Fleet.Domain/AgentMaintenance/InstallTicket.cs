namespace Fleet.Domain.AgentMaintenance;

/// <summary>
/// A single-use enrolment ticket issued for one install task. Only its hash is stored; the agent that presents the
/// token within its lifetime enrols pre-approved (an operator asked for this install) and the ticket is spent.
/// </summary>
public sealed class InstallTicket
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private InstallTicket() { }

    public InstallTicket(Guid id, string tokenHash, string agentInvocationId, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(tokenHash)) throw new DomainException("A ticket needs a token hash.");
        Id = id;
        TokenHash = tokenHash;
        AgentInvocationId = agentInvocationId;
        IssuedAt = now;
        ExpiresAt = now + Lifetime;
    }

    public Guid Id { get; private set; }
    public string TokenHash { get; private set; } = "";
    public string AgentInvocationId { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    public Guid? UsedByHostId { get; private set; }

    public bool IsUsable(DateTimeOffset now) => UsedAt is null && now < ExpiresAt;

    public void Redeem(Guid hostId, DateTimeOffset now)
    {
        if (UsedAt is not null) throw new DomainException("This install ticket was already used.");
        if (now >= ExpiresAt) throw new DomainException("This install ticket has expired.");
        UsedAt = now;
        UsedByHostId = hostId;
    }

    /// <summary>The task ended without the agent enrolling: nobody may use the ticket any more.</summary>
    public void Void(DateTimeOffset now)
    {
        if (UsedAt is null && ExpiresAt > now) ExpiresAt = now;
    }
}
