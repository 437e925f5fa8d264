using System.Runtime;

namespace Fleet.Web.Engine;

/// <summary>
/// Gives back the memory a burst left committed once the burst is over. After thousands of agents enrol at once (each
/// uploading its first inventory) the GC keeps the heap it grew to: at 5,000 agents 277 MiB committed for 139 MiB live,
/// because the workstation GC decommits free regions only gradually, during collections that an idle fleet rarely
/// triggers. When the live heap has stopped growing and much more is committed than it holds, one aggressive collection
/// compacts and decommits it; at most once per <see cref="MinInterval"/>, so a busy server is never collected in a loop.
/// </summary>
public sealed class MemoryTrimmer(TimeProvider clock, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(10);

    /// <summary>Committed memory beyond this, above what the heap holds, is worth a full collection.</summary>
    public const long MinSlackBytes = 64L * 1024 * 1024;

    /// <param name="committed">Bytes the GC holds committed after its last collection.</param>
    /// <param name="heap">Bytes the heap held after its last collection (live objects and not yet collected garbage).</param>
    /// <param name="previousHeap">The same, one check earlier; null at the first check.</param>
    /// <param name="sinceLastTrim">Time since the last trim; null if there was none.</param>
    public static bool ShouldTrim(long committed, long heap, long? previousHeap, TimeSpan? sinceLastTrim)
    {
        if (sinceLastTrim < MinInterval || previousHeap is not { } before) return false;
        // Still growing by more than 5 % between checks: a burst is under way and would refill what a trim gave back.
        if (heap > before + before / 20) return false;
        var slack = committed - heap;
        return slack >= MinSlackBytes && slack >= heap / 4;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, clock);
        long? previousHeap = null;
        DateTimeOffset? lastTrim = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var info = GC.GetGCMemoryInfo();
                var now = clock.GetUtcNow();
                if (ShouldTrim(info.TotalCommittedBytes, info.HeapSizeBytes, previousHeap, now - lastTrim))
                {
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    lastTrim = now;
                    var after = GC.GetGCMemoryInfo();
                    logger.LogInformation("Memory trimmed: GC committed {Before} MB → {After} MB, heap {Heap} MB",
                        info.TotalCommittedBytes >> 20, after.TotalCommittedBytes >> 20, after.HeapSizeBytes >> 20);
                    info = after;
                }
                previousHeap = info.HeapSizeBytes;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
