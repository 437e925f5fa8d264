using Fleet.Web.Security;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeAccountAdmin : IAccountAdmin
{
    public List<UserView> Users { get; } = [];
    public List<ApiTokenView> Tokens { get; } = [];
    public string NextSecret { get; set; } = "fleet_" + Guid.NewGuid().ToString("N");

    public Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<UserView>>(Users.ToList());

    public List<(string Username, string Current, string New)> OwnPasswordChanges { get; } = [];

    public Task ChangeOwnPasswordAsync(string username, string currentPassword, string newPassword, CancellationToken ct = default)
    {
        if (currentPassword != "current-password") throw new ArgumentException("The current password is not right.");
        OwnPasswordChanges.Add((username, currentPassword, newPassword));
        return Task.CompletedTask;
    }

    public Task<UserView> CreateUserAsync(string username, string password, string role, CancellationToken ct = default)
    {
        if (Users.Any(u => u.Username == username)) throw new ArgumentException($"The username {username} is taken.");
        var user = new UserView(Guid.NewGuid(), username, role, DateTimeOffset.UtcNow);
        Users.Add(user);
        return Task.FromResult(user);
    }

    public Task SetRoleAsync(Guid userId, string role, CancellationToken ct = default)
    {
        var index = Users.FindIndex(u => u.Id == userId);
        Users[index] = Users[index] with { Role = role };
        return Task.CompletedTask;
    }

    /// <summary>The next delete fails with this, as the real service does for the last admin.</summary>
    public Exception? FailNextWith { get; set; }

    public Task DeleteUserAsync(Guid userId, CancellationToken ct = default)
    {
        if (FailNextWith is { } failure)
        {
            FailNextWith = null;
            throw failure;
        }
        Users.RemoveAll(u => u.Id == userId);
        return Task.CompletedTask;
    }

    public List<(Guid UserId, string Password)> PasswordsSet { get; } = [];

    public Task SetPasswordAsync(Guid userId, string password, CancellationToken ct = default)
    {
        PasswordsSet.Add((userId, password));
        return Task.CompletedTask;
    }

    public Task SetDisabledAsync(Guid userId, bool disabled, CancellationToken ct = default)
    {
        var index = Users.FindIndex(u => u.Id == userId);
        Users[index] = Users[index] with { Disabled = disabled };
        return Task.CompletedTask;
    }

    public Task UnlockAsync(Guid userId, CancellationToken ct = default)
    {
        var index = Users.FindIndex(u => u.Id == userId);
        Users[index] = Users[index] with { LockedUntil = null };
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiTokenView>> ListTokensAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ApiTokenView>>(Tokens.ToList());

    public Task<CreatedToken> CreateTokenAsync(string name, string role, CancellationToken ct = default)
    {
        var token = new ApiTokenView(Guid.NewGuid(), name, role, NextSecret[..10], DateTimeOffset.UtcNow, null, null);
        Tokens.Add(token);
        return Task.FromResult(new CreatedToken(token, NextSecret));
    }

    public Task RevokeTokenAsync(Guid tokenId, CancellationToken ct = default)
    {
        var index = Tokens.FindIndex(t => t.Id == tokenId);
        Tokens[index] = Tokens[index] with { RevokedAt = DateTimeOffset.UtcNow };
        return Task.CompletedTask;
    }
}
