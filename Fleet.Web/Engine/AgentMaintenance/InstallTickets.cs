using Fleet.Domain.AgentMaintenance;
using Fleet.Web.Data;
using Fleet.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.AgentMaintenance;

/// <summary>
/// Single-use enrolment tickets of install tasks. The token goes only into the sealed install order; the database keeps
/// its SHA-256 (tokens are high-entropy, so a plain hash is enough and allows the lookup).
/// </summary>
public sealed class InstallTickets(IDbContextFactory<FleetDbContext> dbFactory, TimeProvider clock)
{
    public const string Prefix = "fit_";

    /// <summary>Adds a ticket for the agent invocation to <paramref name="db"/> (saved with it) and returns its token.</summary>
    public static string Issue(FleetDbContext db, string agentInvocationId, DateTimeOffset now)
    {
        var token = Secrets.NewToken(Prefix);
        db.InstallTickets.Add(new InstallTicket(Guid.NewGuid(), Secrets.Hash(token), agentInvocationId, now));
        return token;
    }

    /// <summary>A quick check before the enrolment's write: is this a ticket someone may still use?</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200) return false;
        var hash = Secrets.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await db.InstallTickets.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        return ticket is not null && ticket.IsUsable(clock.GetUtcNow());
    }

    /// <summary>Spends the ticket for <paramref name="hostId"/> inside the enrolment's own transaction; false when it is unknown, used or expired.</summary>
    public static async Task<bool> RedeemAsync(FleetDbContext db, string token, Guid hostId, DateTimeOffset now)
    {
        var hash = Secrets.Hash(token);
        var ticket = db.Tracked<InstallTicket>().FirstOrDefault(t => t.TokenHash == hash)
            ?? await db.InstallTickets.FirstOrDefaultAsync(t => t.TokenHash == hash);
        if (ticket is null || !ticket.IsUsable(now)) return false;
        ticket.Redeem(hostId, now);
        return true;
    }
}
