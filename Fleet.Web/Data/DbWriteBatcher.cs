using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

/// <summary>
/// Funnels hot-path writes (agent connects, heartbeats, enrolments, sweeps, audit records) into one
/// transaction per batch: SQLite has a single writer, and thousands of agents each committing alone
/// would queue on its lock. A write may run twice (its batch failed and it is retried alone), so a
/// write resets whatever it collects before filling it.
/// </summary>
public sealed class DbWriteBatcher(IDbContextFactory<FleetDbContext> dbFactory, ILogger<DbWriteBatcher> logger)
    : BatchWriter<Func<FleetDbContext, Task>>(MaxBatch, logger)
{
    // Small enough that one transaction never holds SQLite's single write lock for long (an
    // inventory upload can be hundreds of KB), large enough that heartbeats and enrolments amortise.
    private const int MaxBatch = 200;

    public Task WriteAsync(Func<FleetDbContext, Task> write) => EnqueueAsync(write);

    public async Task<T> WriteAsync<T>(Func<FleetDbContext, Task<T>> write)
    {
        T result = default!;
        await WriteAsync(async db => { result = await write(db); });
        return result;
    }

    protected override async Task WriteBatchAsync(IReadOnlyList<Func<FleetDbContext, Task>> writes)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await RowLocks.BeginWriteAsync(db);
        foreach (var write in writes) await write(db);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}
