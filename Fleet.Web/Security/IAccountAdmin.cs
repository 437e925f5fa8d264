namespace Fleet.Web.Security;

public sealed record UserView(Guid Id, string Username, string Role, DateTimeOffset CreatedAt, bool Disabled = false, DateTimeOffset? LockedUntil = null);

public sealed record ApiTokenView(
    Guid Id,
    string Name,
    string Role,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);

/// <summary>A token just created: <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record CreatedToken(ApiTokenView Token, string Secret);

/// <summary>Dashboard users and API tokens (admin only). Bad input → ArgumentException with a user-facing message.</summary>
public interface IAccountAdmin
{
    Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken ct = default);
    Task<UserView> CreateUserAsync(string username, string password, string role, CancellationToken ct = default);
    Task SetRoleAsync(Guid userId, string role, CancellationToken ct = default);
    Task DeleteUserAsync(Guid userId, CancellationToken ct = default);
    /// <summary>Each of these ends the user's existing sessions (a new security stamp), except unlocking.</summary>
    Task SetPasswordAsync(Guid userId, string password, CancellationToken ct = default);
    Task SetDisabledAsync(Guid userId, bool disabled, CancellationToken ct = default);
    /// <summary>Clears a sign-in lockout and the failure count.</summary>
    Task UnlockAsync(Guid userId, CancellationToken ct = default);
    /// <summary>
    /// The signed-in user's own password: the current one is checked first. Ends every session of that user,
    /// this one included, so the new password is proved by signing in with it.
    /// </summary>
    Task ChangeOwnPasswordAsync(string username, string currentPassword, string newPassword, CancellationToken ct = default);
    Task<IReadOnlyList<ApiTokenView>> ListTokensAsync(CancellationToken ct = default);
    Task<CreatedToken> CreateTokenAsync(string name, string role, CancellationToken ct = default);
    Task RevokeTokenAsync(Guid tokenId, CancellationToken ct = default);
}
