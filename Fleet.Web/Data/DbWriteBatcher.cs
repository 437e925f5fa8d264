using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

/// <summary>
/// Funnels hot-path writes (agent connects, heartbeats, enrolments, results) into one transaction per
/// batch: SQLite has a single writer, and thousands of agents each committing alone would queue on
/// its lock. Callers await their own piece; a failing piece is retried alone so it fails only itself.
/// </summary>
public sealed class DbWriteBatcher(IDbContextFactory<FleetDbContext> dbFactory, ILogger<DbWriteBatcher> logger) : BackgroundService
{
    // Small enough that one transaction never holds SQLite's single write lock for long (an
    // inventory upload can be hundreds of KB), large enough that heartbeats and enrolments amortise.
    private const int MaxBatch = 200;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });

    public Task WriteAsync(Func<FleetDbContext, Task> write)
    {
        var item = new WriteItem(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(item)) item.Done.SetException(new InvalidOperationException("The server is shutting down."));
        return item.Done.Task;
    }

    public async Task<T> WriteAsync<T>(Func<FleetDbContext, Task<T>> write)
    {
        T result = default!;
        await WriteAsync(async db => { result = await write(db); });
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<WriteItem>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
                await FlushAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Finish what was already accepted so a shutdown loses no write.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var item)) batch.Add(item);
        if (batch.Count > 0) await FlushAsync(batch);
    }

    private async Task FlushAsync(List<WriteItem> batch)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var item in batch) await item.Write(db);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            foreach (var item in batch) item.Done.TrySetResult();
        }
        catch (Exception batchError) when (batch.Count > 1)
        {
            logger.LogWarning(batchError, "A batch of {Count} writes failed; retrying them one by one", batch.Count);
            foreach (var item in batch) await FlushAsync([item]);
        }
        catch (Exception error)
        {
            batch[0].Done.TrySetException(error);
        }
    }

    private sealed record WriteItem(Func<FleetDbContext, Task> Write, TaskCompletionSource Done);
}
