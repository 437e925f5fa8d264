using Fleet.Domain.Inventory;

namespace Fleet.Web.Data;

/// <summary>One inventory section of one host, stored as the JSON the agent sent: read whole, replaced whole.</summary>
public sealed class InventorySectionRecord
{
    public Guid HostId { get; set; }
    public InventorySections Section { get; set; }
    public string Json { get; set; } = "[]";
    public int ItemCount { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A refresh asked of an agent. Kept until answered, so a host that was offline gets it on reconnect.</summary>
public sealed class InventoryRequestRecord
{
    public Guid Id { get; set; }
    public Guid BatchId { get; set; }
    public Guid HostId { get; set; }
    public InventorySections Sections { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

public sealed class UserRecord
{
    public Guid Id { get; set; }
    public string Username { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public string Role { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ApiTokenRecord
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    /// <summary>First characters of the token, shown so an admin can tell tokens apart.</summary>
    public string Prefix { get; set; } = "";
    public string Hash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
