namespace Fleet.Domain.AgentMaintenance;

/// <summary>
/// A machine without an agent registered by REMOTE_INSTALL, reached over SSH by the designated installer's agent. Its
/// credential is held only sealed (encrypted by the server) and only until its install task ends.
/// </summary>
public sealed class RemoteMachine
{
    private RemoteMachine() { }

    public RemoteMachine(Guid id, string? name, string address, int port, string? userName, string? sealedCredential, bool usePem, Guid installerHostId, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(address)) throw new DomainException("A remote machine needs an address.");
        if (port is < 1 or > 65535) throw new DomainException($"Port {port} is not a port number.");
        Id = id;
        Address = address;
        Name = string.IsNullOrWhiteSpace(name) ? address : name;
        Port = port;
        UserName = string.IsNullOrWhiteSpace(userName) ? "root" : userName;
        SealedCredential = sealedCredential;
        UsePem = usePem;
        InstallerHostId = installerHostId;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Address { get; private set; } = "";
    public int Port { get; private set; }
    public string UserName { get; private set; } = "";
    /// <summary>The password or PEM key, sealed; null once erased or when the installer's own keys are used.</summary>
    public string? SealedCredential { get; private set; }
    public bool UsePem { get; private set; }
    public Guid InstallerHostId { get; private set; }
    public Guid? EnrolledHostId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CredentialErasedAt { get; private set; }

    /// <summary>The install ended: the credential is no longer needed and must not stay at rest.</summary>
    public void EraseCredential(DateTimeOffset now)
    {
        if (SealedCredential is null && CredentialErasedAt is not null) return;
        SealedCredential = null;
        CredentialErasedAt = now;
    }

    public void RecordEnrolment(Guid hostId)
    {
        if (EnrolledHostId is { } known && known != hostId) throw new DomainException($"Remote machine {Name} already enrolled as host {known}.");
        EnrolledHostId = hostId;
    }
}
