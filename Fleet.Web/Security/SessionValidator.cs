using System.Security.Claims;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Security;

/// <summary>
/// Decides whether a dashboard session still speaks for its user: the user exists, is enabled, and has
/// the security stamp and role the cookie was issued with. The database answer is cached per user for
/// half of <see cref="SecurityOptions.SessionCheckInterval"/>, so busy dashboards do not query on every request.
/// </summary>
public sealed class SessionValidator(IDbContextFactory<FleetDbContext> dbFactory, IMemoryCache cache, IOptions<SecurityOptions> options)
{
    private sealed record UserState(string Stamp, string Role, bool Disabled);

    public static ClaimsIdentity Identity(UserRecord user, string scheme)
    {
        var identity = FleetClaims.Identity(user.Username, user.Role, scheme);
        identity.AddClaim(new Claim(FleetClaims.UserId, user.Id.ToString()));
        identity.AddClaim(new Claim(FleetClaims.SecurityStamp, user.SecurityStamp));
        identity.AddClaim(new Claim(FleetClaims.UserRole, user.Role));
        return identity;
    }

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (!Guid.TryParse(principal.FindFirstValue(FleetClaims.UserId), out var userId)) return false;
        var state = await cache.GetOrCreateAsync(CacheKey(userId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = options.Value.SessionCheckStep;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new UserState(u.SecurityStamp, u.Role, u.Disabled)).FirstOrDefaultAsync(ct);
        });
        return state is { Disabled: false }
               && state.Stamp == principal.FindFirstValue(FleetClaims.SecurityStamp)
               && state.Role == principal.FindFirstValue(FleetClaims.UserRole);
    }

    /// <summary>Called by this instance's own account changes so they take effect at once here; other instances catch up within the interval.</summary>
    public void Forget(Guid userId) => cache.Remove(CacheKey(userId));

    private static string CacheKey(Guid userId) => $"fleet:session:{userId}";
}
