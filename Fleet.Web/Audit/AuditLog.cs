using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Audit;

public static class AuditActorKinds
{
    public const string User = "user";
    public const string Token = "token";
    public const string Anonymous = "anonymous";
    /// <summary>Fleet itself, moving state on from what agents report (agent maintenance tasks).</summary>
    public const string System = "system";
}

public static class AuditSources
{
    public const string Api = "api";
    public const string Dashboard = "dashboard";
    public const string Engine = "engine";
}

public static class AuditOutcomes
{
    public const string Success = "success";

    public static string Error(string message) => "error: " + message;
}

/// <summary>What happened; the log adds when. Holds names and ids only, never a password, token or input value.</summary>
public sealed record AuditEntry(
    string Actor,
    string ActorKind,
    string Source,
    string Action,
    string Target,
    string Address,
    string Outcome,
    int? StatusCode = null);

public sealed record AuditItem(long Id, DateTimeOffset At, string Actor, string ActorKind, string Source, string Action, string Target,
    string Address, string Outcome, int? StatusCode);

public sealed record AuditPage(IReadOnlyList<AuditItem> Items, int Total);

public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry);

    /// <summary>Newest first; <paramref name="search"/> matches actor, action, target, address or outcome.</summary>
    Task<AuditPage> SearchAsync(string? search, int limit, int offset, CancellationToken ct = default);
}

/// <summary>Writes through the <see cref="DbWriteBatcher"/>, so a burst of API writes costs one transaction, not one each.</summary>
public sealed class AuditLog(DbWriteBatcher writer, IDbContextFactory<FleetDbContext> dbFactory, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog
{
    public async Task RecordAsync(AuditEntry entry)
    {
        var record = new AuditRecord
        {
            At = clock.GetUtcNow(),
            Actor = Clip(entry.Actor, 200),
            ActorKind = entry.ActorKind,
            Source = entry.Source,
            Action = Clip(entry.Action, 300),
            Target = Clip(entry.Target, 1000),
            Address = Clip(entry.Address, 100),
            Outcome = Clip(entry.Outcome, 500),
            StatusCode = entry.StatusCode,
        };
        try
        {
            await writer.WriteAsync(db =>
            {
                db.Audit.Add(record);
                return Task.CompletedTask;
            });
        }
        catch (Exception ex)
        {
            // The action itself already happened; a lost audit row is logged loudly rather than failing it.
            logger.LogError(ex, "Could not record audit entry {Action} on {Target} by {Actor}", record.Action, record.Target, record.Actor);
        }
    }

    public async Task<AuditPage> SearchAsync(string? search, int limit, int offset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Audit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Case-insensitive on every provider (SQLite's and PostgreSQL's own comparisons differ): both sides lowered.
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(a => a.Actor.ToLower().Contains(term) || a.Action.ToLower().Contains(term) || a.Target.ToLower().Contains(term)
                                     || a.Address.ToLower().Contains(term) || a.Outcome.ToLower().Contains(term));
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(offset).Take(limit)
            .Select(a => new AuditItem(a.Id, a.At, a.Actor, a.ActorKind, a.Source, a.Action, a.Target, a.Address, a.Outcome, a.StatusCode))
            .ToListAsync(ct);
        return new AuditPage(items, total);
    }

    private static string Clip(string? value, int max) => value is null ? "" : value.Length <= max ? value : value[..max];
}
