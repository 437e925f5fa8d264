namespace Fleet.Domain.AgentMaintenance;

/// <summary>The host designated by SET_REMOTE_INSTALL_HOST (one for the whole fleet; a new designation replaces it).</summary>
public sealed class RemoteInstallerDesignation
{
    public const int SingletonId = 1;

    private RemoteInstallerDesignation() { }

    public RemoteInstallerDesignation(Guid hostId, string by, DateTimeOffset now)
    {
        Id = SingletonId;
        Designate(hostId, by, now);
    }

    public int Id { get; private set; }
    public Guid HostId { get; private set; }
    public string DesignatedBy { get; private set; } = "";
    public DateTimeOffset DesignatedAt { get; private set; }

    public void Designate(Guid hostId, string by, DateTimeOffset now)
    {
        if (hostId == Guid.Empty) throw new DomainException("The remote install host must be a host.");
        HostId = hostId;
        DesignatedBy = by;
        DesignatedAt = now;
    }
}
