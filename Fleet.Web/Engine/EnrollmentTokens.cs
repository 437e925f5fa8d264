using System.Security.Cryptography;
using System.Text;
using Fleet.Web.Data;
using Fleet.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine;

/// <summary>Where the enrolment token in force comes from, for the Settings page (the token itself is never shown again).</summary>
public sealed record EnrollmentTokenInfo(bool Rotated, string? Prefix, DateTimeOffset? RotatedAt, string? RotatedBy, bool ConfiguredTokenSet);

/// <summary>What the Settings page may do with the enrolment token: see where it comes from, and replace it.</summary>
public interface IEnrollmentTokenAdmin
{
    Task<EnrollmentTokenInfo> DescribeAsync(CancellationToken ct = default);
    /// <returns>The new token; the only time it can be read.</returns>
    Task<string> RotateAsync(string by, CancellationToken ct = default);
}

/// <summary>
/// The fleet-wide enrolment token: <c>Fleet:Agents:EnrollmentToken</c> until an admin rotates it; from then on the newest
/// rotated token, kept only as a hash. The hash is cached for a few seconds so a burst of hellos costs no query each.
/// </summary>
public sealed class EnrollmentTokens(IDbContextFactory<FleetDbContext> dbFactory, IOptionsMonitor<AgentOptions> options, TimeProvider clock) : IEnrollmentTokenAdmin
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (EnrollmentTokenRecord? Record, DateTimeOffset LoadedAt)? _cache;

    public async Task<bool> MatchesAsync(string? presented, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        var rotated = await CurrentAsync(ct);
        if (rotated is not null) return Secrets.Matches(presented, rotated.Hash);
        var configured = options.CurrentValue.EnrollmentToken;
        return !string.IsNullOrEmpty(configured) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(configured));
    }

    /// <summary>Makes a new token the only valid one and returns it; this is the one time it can be read.</summary>
    public async Task<string> RotateAsync(string by, CancellationToken ct = default)
    {
        var token = Secrets.NewToken("fet_");
        var record = new EnrollmentTokenRecord
        {
            Id = Guid.NewGuid(),
            Hash = Secrets.Hash(token),
            Prefix = token[..10],
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = by.Length <= 100 ? by : by[..100],
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.EnrollmentTokens.Add(record);
            await db.SaveChangesAsync(ct);
        }
        _cache = (record, clock.GetUtcNow());
        return token;
    }

    public async Task<EnrollmentTokenInfo> DescribeAsync(CancellationToken ct = default)
    {
        var rotated = await CurrentAsync(ct, fresh: true);
        return new EnrollmentTokenInfo(rotated is not null, rotated?.Prefix, rotated?.CreatedAt, rotated?.CreatedBy,
            !string.IsNullOrEmpty(options.CurrentValue.EnrollmentToken));
    }

    private async Task<EnrollmentTokenRecord?> CurrentAsync(CancellationToken ct, bool fresh = false)
    {
        var now = clock.GetUtcNow();
        if (!fresh && _cache is { } cached && now - cached.LoadedAt < CacheFor) return cached.Record;
        await _gate.WaitAsync(ct);
        try
        {
            if (!fresh && _cache is { } again && now - again.LoadedAt < CacheFor) return again.Record;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var record = await db.EnrollmentTokens.AsNoTracking().OrderByDescending(t => t.CreatedAt).FirstOrDefaultAsync(ct);
            _cache = (record, now);
            return record;
        }
        finally
        {
            _gate.Release();
        }
    }
}
