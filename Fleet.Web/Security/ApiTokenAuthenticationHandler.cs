using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Fleet.Web.Api;
using Fleet.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Security;

/// <summary>
/// API tokens: <c>Authorization: Bearer</c> for most API families, <c>X-Auth-Token</c> for the agent
/// maintenance family (seed 003). The token's SHA-256 is looked up; the plain value is never stored.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<FleetDbContext> dbFactory,
    TokenUsageRecorder usage,
    ApiAuthFailureLimiter failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string AuthTokenHeader = "X-Auth-Token";
    private const string RateLimitedKey = "fleet:api-auth-rate-limited";

    public static string? ReadToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();
        var header = request.Headers[AuthTokenHeader].ToString();
        if (!string.IsNullOrWhiteSpace(header)) return header.Trim();
        // Browsers' WebSockets cannot send headers, so SignalR clients pass the token in the query string.
        var query = request.Path.StartsWithSegments(Hubs.LiveHub.Path) ? request.Query["access_token"].ToString() : "";
        return string.IsNullOrWhiteSpace(query) ? null : query.Trim();
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        if (token is null) return AuthenticateResult.NoResult();
        var address = ClientAddress.Of(Context);
        if (failures.IsBlocked(address))
        {
            Context.Items[RateLimitedKey] = true;
            return AuthenticateResult.Fail("Too many rejected tokens from this address.");
        }
        if (token.Length > 512) return Rejected(address);
        var hash = Secrets.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var record = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash)
            .Select(t => new { t.Id, t.Name, t.Role, t.RevokedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (record is null || record.RevokedAt is not null) return Rejected(address);
        usage.Used(record.Id);
        var identity = FleetClaims.Identity(record.Name, record.Role, SchemeName);
        identity.AddClaim(new Claim(FleetClaims.TokenId, record.Id.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Rejected(string address)
    {
        failures.Failed(address);
        return AuthenticateResult.Fail("Invalid or revoked token.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(RateLimitedKey))
        {
            Response.Headers.RetryAfter = ((int)failures.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiErrors.WriteAuthErrorAsync(Context, StatusCodes.Status429TooManyRequests);
        }
        return ApiErrors.WriteAuthErrorAsync(Context, StatusCodes.Status401Unauthorized);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrors.WriteAuthErrorAsync(Context, StatusCodes.Status403Forbidden);
}

/// <summary>Records a token's last use at most once a minute, through the write batcher, off the request path.</summary>
public sealed class TokenUsageRecorder(DbWriteBatcher writer, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastRecorded = new();

    public void Used(Guid tokenId)
    {
        var now = clock.GetUtcNow();
        if (_lastRecorded.TryGetValue(tokenId, out var last) && now - last < TimeSpan.FromMinutes(1)) return;
        _lastRecorded[tokenId] = now;
        _ = writer.WriteAsync(async db =>
        {
            var token = await db.ApiTokens.FindAsync(tokenId);
            if (token is not null) token.LastUsedAt = now;
        });
    }
}

public static class FleetClaims
{
    public const string TokenId = "fleet:token_id";
    public const string UserId = "fleet:user_id";
    public const string SecurityStamp = "fleet:stamp";
    /// <summary>The user's role as stored when the cookie was issued (the role claims hold the implied ones too).</summary>
    public const string UserRole = "fleet:role";

    /// <summary>An identity carrying its role and every role it implies, so role checks read naturally.</summary>
    public static ClaimsIdentity Identity(string name, string role, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(Fleet.Domain.Security.Roles.Implied(role).Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role);
    }
}

public static class ClientAddress
{
    /// <summary>The peer's address as Kestrel saw it (a reverse proxy must be configured with forwarded headers to pass the real one).</summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
