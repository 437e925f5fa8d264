using System.Text.RegularExpressions;
using Fleet.Domain.Security;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Security;

/// <inheritdoc cref="IAccountAdmin"/>
public sealed partial class AccountAdmin(IDbContextFactory<FleetDbContext> dbFactory, TimeProvider clock, SessionValidator sessions) : IAccountAdmin
{
    public const string TokenPrefix = "flt_";

    public async Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Username).ToListAsync(ct);
        return users.Select(ToView).ToList();
    }

    public async Task<UserView> CreateUserAsync(string username, string password, string role, CancellationToken ct = default)
    {
        username = (username ?? "").Trim();
        if (!UsernamePattern().IsMatch(username)) throw new ArgumentException("A username is 1-100 letters, digits, '.', '_', '-' or '@'.");
        if ((password ?? "").Length < 8) throw new ArgumentException("A password needs at least 8 characters.");
        RequireRole(role);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Users.AnyAsync(u => u.Username == username, ct)) throw new ArgumentException($"User '{username}' already exists.");
        var user = new UserRecord
        {
            Id = Guid.NewGuid(),
            Username = username,
            PasswordHash = Secrets.HashPassword(password!),
            Role = role,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return ToView(user);
    }

    public async Task SetRoleAsync(Guid userId, string role, CancellationToken ct = default)
    {
        RequireRole(role);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FindAsync([userId], ct) ?? throw new ArgumentException("That user no longer exists.");
        if (user.Role == Roles.Admin && role != Roles.Admin) await RequireAnotherAdminAsync(db, userId, ct);
        user.ChangeRole(role);
        await db.SaveChangesAsync(ct);
        sessions.Forget(userId);
    }

    public async Task SetPasswordAsync(Guid userId, string password, CancellationToken ct = default)
    {
        if ((password ?? "").Length < 8) throw new ArgumentException("A password needs at least 8 characters.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FindAsync([userId], ct) ?? throw new ArgumentException("That user no longer exists.");
        user.ChangePassword(Secrets.HashPassword(password!));
        await db.SaveChangesAsync(ct);
        sessions.Forget(userId);
    }

    public async Task ChangeOwnPasswordAsync(string username, string currentPassword, string newPassword, CancellationToken ct = default)
    {
        if ((newPassword ?? "").Length < 8) throw new ArgumentException("A password needs at least 8 characters.");
        if (newPassword == currentPassword) throw new ArgumentException("The new password must differ from the current one.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct) ?? throw new ArgumentException("That user no longer exists.");
        if (!Secrets.VerifyPassword(currentPassword ?? "", user.PasswordHash)) throw new ArgumentException("The current password is not right.");
        user.ChangePassword(Secrets.HashPassword(newPassword!));
        await db.SaveChangesAsync(ct);
        sessions.Forget(user.Id);
    }

    public async Task SetDisabledAsync(Guid userId, bool disabled, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FindAsync([userId], ct) ?? throw new ArgumentException("That user no longer exists.");
        if (disabled)
        {
            if (user.Role == Roles.Admin) await RequireAnotherAdminAsync(db, userId, ct);
            user.Disable();
        }
        else user.Enable();
        await db.SaveChangesAsync(ct);
        sessions.Forget(userId);
    }

    public async Task UnlockAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FindAsync([userId], ct) ?? throw new ArgumentException("That user no longer exists.");
        user.Unlock();
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteUserAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FindAsync([userId], ct) ?? throw new ArgumentException("That user no longer exists.");
        if (user.Role == Roles.Admin) await RequireAnotherAdminAsync(db, userId, ct);
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        sessions.Forget(userId);
    }

    public async Task<IReadOnlyList<ApiTokenView>> ListTokensAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokens = await db.ApiTokens.AsNoTracking().ToListAsync(ct);
        return tokens.OrderByDescending(t => t.CreatedAt).Select(ToView).ToList();
    }

    public async Task<CreatedToken> CreateTokenAsync(string name, string role, CancellationToken ct = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > 100) throw new ArgumentException("A token needs a name of 1-100 characters.");
        RequireRole(role);
        var secret = Secrets.NewToken(TokenPrefix);
        var token = await AddTokenAsync(name, role, secret, ct);
        return new CreatedToken(ToView(token), secret);
    }

    /// <summary>Stores a token whose value the caller chose (the bootstrap admin token); no-op if it exists.</summary>
    public async Task EnsureTokenAsync(string name, string role, string secret, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = Secrets.Hash(secret);
        if (!await db.ApiTokens.AnyAsync(t => t.Hash == hash, ct)) await AddTokenAsync(name, role, secret, ct);
    }

    public async Task RevokeTokenAsync(Guid tokenId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.FindAsync([tokenId], ct) ?? throw new ArgumentException("That token no longer exists.");
        token.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    private async Task<ApiTokenRecord> AddTokenAsync(string name, string role, string secret, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = new ApiTokenRecord
        {
            Id = Guid.NewGuid(),
            Name = name,
            Role = role,
            Prefix = secret[..Math.Min(secret.Length, 8)],
            Hash = Secrets.Hash(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return token;
    }

    private static async Task RequireAnotherAdminAsync(FleetDbContext db, Guid userId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Role == Roles.Admin && u.Id != userId && !u.Disabled, ct))
            throw new ArgumentException("Fleet needs at least one admin user.");
    }

    private static void RequireRole(string role)
    {
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Role must be one of: {string.Join(", ", Roles.All)}.");
    }

    private UserView ToView(UserRecord u) => new(u.Id, u.Username, u.Role, u.CreatedAt, u.Disabled, u.IsLockedOut(clock.GetUtcNow()) ? u.LockedUntil : null);

    private static ApiTokenView ToView(ApiTokenRecord t) => new(t.Id, t.Name, t.Role, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt);

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,100}$")]
    private static partial Regex UsernamePattern();
}
