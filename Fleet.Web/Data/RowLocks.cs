using System.Data;
using Fleet.Domain.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fleet.Web.Data;

/// <summary>
/// Row locks for writers that several instances run at once on PostgreSQL. SQLite needs none: one instance, and a write
/// transaction that read stale rows fails instead of overwriting (its single writer), so each helper does nothing there.
/// </summary>
public static class RowLocks
{
    /// <summary>A transaction for claiming rows on PostgreSQL (locks last until it commits); null on SQLite.</summary>
    public static async Task<IDbContextTransaction?> BeginClaimAsync(FleetDbContext db, CancellationToken ct) =>
        db.Database.IsNpgsql() && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;

    /// <summary>
    /// The next queued runs of an invocation in position order. On PostgreSQL they are claimed (<c>FOR UPDATE SKIP LOCKED</c>,
    /// inside <see cref="BeginClaimAsync"/>'s transaction): a run another writer holds is left to it, never taken twice.
    /// </summary>
    public static IQueryable<TargetRun> QueuedRuns(FleetDbContext db, long invocationId, int take) => db.Database.IsNpgsql()
        ? db.TargetRuns.FromSqlInterpolated($"""
            SELECT * FROM target_runs WHERE "InvocationId" = {invocationId} AND "Status" = {(int)TargetRunStatus.Queued}
            ORDER BY "Position" LIMIT {take} FOR UPDATE SKIP LOCKED
            """)
        : db.TargetRuns.Where(r => r.InvocationId == invocationId && r.Status == TargetRunStatus.Queued).OrderBy(r => r.Position).Take(take);

    /// <summary>
    /// Locks commands (in id order, so two writers never wait on each other crosswise) until the current transaction ends, before
    /// they are read: a result and a sweep deciding about the same command then decide one after the other, never both.
    /// </summary>
    public static async Task LockCommandsAsync(FleetDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0 || !db.Database.IsNpgsql()) return;
        var array = ids.ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM commands WHERE "Id" = ANY({array}) ORDER BY "Id" FOR UPDATE""", ct);
    }

    /// <summary>Locks target runs (in id order) until the current transaction ends, before they are read; see <see cref="LockCommandsAsync"/>.</summary>
    public static async Task LockTargetRunsAsync(FleetDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0 || !db.Database.IsNpgsql()) return;
        var array = ids.ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM target_runs WHERE "Id" = ANY({array}) ORDER BY "Id" FOR UPDATE""", ct);
    }

    /// <summary>
    /// A write transaction as safe as SQLite's: on PostgreSQL repeatable read, so a batch that read a row another instance
    /// changed before it wrote fails (and is retried on fresh rows) instead of overwriting that change.
    /// </summary>
    public static Task<IDbContextTransaction> BeginWriteAsync(FleetDbContext db, CancellationToken ct = default) => db.Database.IsNpgsql()
        ? db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct)
        : db.Database.BeginTransactionAsync(ct);
}
