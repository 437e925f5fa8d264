using Fleet.Domain.Inventory;

namespace Fleet.Web.Data;

/// <summary>One inventory section of one host, stored as the JSON the agent sent: read whole, replaced whole.</summary>
public sealed class InventorySectionRecord
{
    public Guid HostId { get; set; }
    public InventorySections Section { get; set; }
    public string Json { get; set; } = "[]";
    public int ItemCount { get; set; }
    /// <summary>Storage only: the usage of the fullest device (as df shows it), so "a disk over 90 %" is one indexed query.</summary>
    public int? FullestPercent { get; set; }
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

    /// <summary>Copied into each sign-in cookie; a new value ends every session issued before it.</summary>
    public string SecurityStamp { get; private set; } = NewStamp();
    public bool Disabled { get; private set; }
    public int FailedSignIns { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }

    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public void ChangeRole(string role)
    {
        if (role == Role) return;
        Role = role;
        RotateStamp();
    }

    public void ChangePassword(string passwordHash)
    {
        PasswordHash = passwordHash;
        RotateStamp();
    }

    public void Disable()
    {
        if (Disabled) return;
        Disabled = true;
        RotateStamp();
    }

    public void Enable() => Disabled = false;

    public void Unlock()
    {
        FailedSignIns = 0;
        LockedUntil = null;
    }

    public void RotateStamp() => SecurityStamp = NewStamp();

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}

/// <summary>One state-changing action from the API or the dashboard: never holds a secret value.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>User name or token name; "anonymous" when nobody was authenticated.</summary>
    public string Actor { get; set; } = "";
    /// <summary>"user", "token" or "anonymous".</summary>
    public string ActorKind { get; set; } = "";
    /// <summary>"api" or "dashboard".</summary>
    public string Source { get; set; } = "";
    public string Action { get; set; } = "";
    public string Target { get; set; } = "";
    public string Address { get; set; } = "";
    /// <summary>"success" or "error: ..." (the dashboard) or the HTTP status (the API).</summary>
    public string Outcome { get; set; } = "";
    public int? StatusCode { get; set; }
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
