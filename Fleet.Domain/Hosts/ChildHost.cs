namespace Fleet.Domain.Hosts;

/// <summary>
/// A container or virtual machine running on a managed host (an LXD instance, a Docker container, ...),
/// as the host's agent last reported it. The parent/child relation is the <see cref="ParentHostId"/>.
/// </summary>
public sealed class ChildHost
{
    public const string Running = "running";
    public const string Stopped = "stopped";

    private ChildHost() { }

    public ChildHost(Guid id, Guid parentHostId, string name, string type, string status, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("A child host needs a name.");
        if (string.IsNullOrWhiteSpace(type)) throw new DomainException($"Child host '{name}' needs a type.");
        Id = id;
        ParentHostId = parentHostId;
        Name = name;
        Type = type;
        Status = NormaliseStatus(status);
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid ParentHostId { get; private set; }
    public string Name { get; private set; } = "";
    public string Type { get; private set; } = "";
    /// <summary>running, stopped, or the provider's own word for anything else (paused, frozen, error, ...).</summary>
    public string Status { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsRunning => Status == Running;

    /// <summary>Applies a new report; returns whether anything changed.</summary>
    public bool Update(string type, string status, DateTimeOffset now)
    {
        var normalised = NormaliseStatus(status);
        if (Type == type && Status == normalised) return false;
        if (!string.IsNullOrWhiteSpace(type)) Type = type;
        Status = normalised;
        UpdatedAt = now;
        return true;
    }

    public static string NormaliseStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? "unknown" : status.Trim().ToLowerInvariant();
}
