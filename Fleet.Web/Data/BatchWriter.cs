using System.Threading.Channels;

namespace Fleet.Web.Data;

/// <summary>
/// The one batching writer of the hot path. Callers enqueue an item and await it; a single loop takes
/// whatever is waiting (up to a limit) and writes it as one unit. Idle, an item is written at once;
/// busy, items gather while the previous batch commits, so thousands of agents answering together
/// become a few transactions without anyone waiting on a timer. A batch that fails is retried item by
/// item, so a bad item fails only its own caller. Items accepted before shutdown are still written.
/// </summary>
public abstract class BatchWriter<TItem>(int maxBatch, ILogger logger) : BackgroundService
{
    protected ILogger Logger { get; } = logger;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes when the item's batch is committed; fails with the error that stopped it.</summary>
    protected Task EnqueueAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) pending.Done.TrySetException(new InvalidOperationException("The server is shutting down."));
        return pending.Done.Task;
    }

    /// <summary>Writes the items as one unit (one transaction); throwing undoes the whole unit.</summary>
    protected abstract Task WriteBatchAsync(IReadOnlyList<TItem> items);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < maxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
                await FlushAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Finish what was already accepted so a shutdown loses no write.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var pending)) batch.Add(pending);
        if (batch.Count > 0) await FlushAsync(batch);
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        try
        {
            await WriteWithConflictRetriesAsync(batch.ConvertAll(p => p.Item));
            foreach (var pending in batch) pending.Done.TrySetResult();
        }
        catch (Exception batchError) when (batch.Count > 1)
        {
            Logger.LogWarning(batchError, "A batch of {Count} writes failed; retrying them one by one", batch.Count);
            foreach (var pending in batch) await FlushAsync([pending]);
        }
        catch (Exception error)
        {
            Logger.LogWarning(error, "A write failed");
            batch[0].Done.TrySetException(error);
        }
    }

    // On PostgreSQL another instance may commit to the same rows between this batch's read and its write; the batch is then
    // refused as a whole although every item is sound. Written again (each write re-reads what it changes) it goes through;
    // splitting it one by one instead would cost a transaction per item and could fail an agent's report for nothing.
    private const int ConflictRetries = 5;

    private async Task WriteWithConflictRetriesAsync(IReadOnlyList<TItem> items)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteBatchAsync(items);
                return;
            }
            catch (Exception error) when (attempt < ConflictRetries && DbErrors.IsWriteConflict(error))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)));
            }
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource Done);
}
