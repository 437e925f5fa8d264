using System.Collections.Concurrent;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine;

/// <summary>
/// Heartbeats land in memory and reach the database as one batched write every few seconds: at
/// 20,000 agents a write per heartbeat would be hundreds of transactions a second for one timestamp.
/// </summary>
public sealed class HeartbeatRecorder(DbWriteBatcher writer, TimeProvider clock, ILogger<HeartbeatRecorder> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastSeen = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _unflushed = new();

    public void Seen(Guid hostId)
    {
        var now = clock.GetUtcNow();
        _lastSeen[hostId] = now;
        _unflushed[hostId] = now;
    }

    public DateTimeOffset? LastSeen(Guid hostId) => _lastSeen.TryGetValue(hostId, out var at) ? at : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushAsync();
    }

    public async Task FlushAsync()
    {
        if (_unflushed.IsEmpty) return;
        var batch = new List<KeyValuePair<Guid, DateTimeOffset>>(_unflushed.Count);
        foreach (var entry in _unflushed)
            if (_unflushed.TryRemove(entry)) batch.Add(entry);
        try
        {
            await writer.WriteAsync(async db =>
            {
                // One UPDATE per second heard from, not a load and an update per host: at 19,000 agents one flush carries
                // thousands of hosts. Rounded down to the second, a time never claims more than was heard; the guard is
                // ManagedHost.Seen's rule (a last-seen time never moves back), in SQL because no entity is loaded.
                var bySecond = batch.GroupBy(entry => WholeSecond(_lastSeen.GetValueOrDefault(entry.Key, entry.Value)), entry => entry.Key);
                foreach (var second in bySecond)
                {
                    var at = second.Key;
                    foreach (var chunk in second.Chunk(500))
                        await db.Hosts.Where(h => chunk.Contains(h.Id) && h.LastSeen < at).ExecuteUpdateAsync(set => set.SetProperty(h => h.LastSeen, at));
                }
            });
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not record {Count} heartbeats", batch.Count);
        }
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, at.Offset);
}
