using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Fleet.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine;

public sealed record LiveRun(Guid Id, Guid HostId, string DeviceName, string Status, DateTimeOffset UpdatedAt);

/// <summary>One coalesced update: the group's counts now, and the runs that changed since the last message.</summary>
public sealed record LiveProgress(string Group, IReadOnlyDictionary<string, int> Counts, int Total, IReadOnlyList<LiveRun> Changed, DateTimeOffset At);

/// <summary>
/// Forwards the in-process event stream to LiveHub groups, coalesced: each touched invocation (and its watched stage runs)
/// gets one message with exact counts read from the database and the runs changed since its last message, at most one
/// message per <see cref="Interval"/> (<see cref="LivePacing"/>). An event after a quiet spell goes out at once; 10,000 runs
/// finishing together cost a client at most four messages a second, and the last one always carries the final counts.
/// </summary>
public sealed class LivePublisher(
    IFleetEvents events,
    IHubContext<LiveHub> hub,
    LiveSubscriptions subscriptions,
    IDbContextFactory<FleetDbContext> dbFactory,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<LivePublisher> logger) : BackgroundService
{
    /// <summary>
    /// The least time between two messages. 300 ms rather than 250: with delivery jitter a client then never sees more than 4
    /// messages in any second.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    /// <summary>What has been sent for each watched invocation.</summary>
    private sealed class Sent
    {
        public DateTimeOffset At { get; set; } = DateTimeOffset.MinValue;
        /// <summary>Each run's status as last sent, so the overlapping read repeats nothing.</summary>
        public Dictionary<Guid, TargetRunStatus> Statuses { get; } = [];
        /// <summary>Where the next read starts at the latest: runs left out of the last message, or changes made while nobody
        /// watched.</summary>
        public DateTimeOffset? ReadFrom { get; set; }
    }

    private readonly Dictionary<long, Sent> _sent = [];

    /// <summary>
    /// Runs per message (<c>Fleet:Live:MaxRunsPerMessage</c>, default 2,000). A burst (10,000 runs dispatched at
    /// once) is spread over a few messages instead of one huge one that delays everything behind it; results go
    /// first, the rest follow in the next messages.
    /// </summary>
    private int MaxRunsPerMessage => Math.Max(1, configuration.GetValue("Fleet:Live:MaxRunsPerMessage", 2000));

    private readonly object _gate = new();
    /// <summary>Invocations with changes not yet read, each with the earliest time those changes were stamped at.</summary>
    private readonly Dictionary<long, DateTimeOffset> _pendingInvocations = [];
    private readonly HashSet<Guid> _pendingHosts = [];
    private bool _fleetChanged;
    /// <summary>Released when something becomes pending: the publisher sleeps on it when there is nothing to send, so an event
    /// after a quiet spell goes out at once instead of at the next tick.</summary>
    private readonly SemaphoreSlim _arrived = new(0, 1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = Task.Run(async () =>
        {
            await foreach (var batch in events.SubscribeAsync(stoppingToken))
            {
                lock (_gate)
                {
                    foreach (var e in batch)
                    {
                        if (e.InvocationId is { } id) Pending(id, e.At);
                        else _fleetChanged = true;
                        if (e.HostId != Guid.Empty) _pendingHosts.Add(e.HostId);
                    }
                }
                Signal();
            }
        }, stoppingToken);
        // Its own thread with synchronous reads: on a busy server (10,000 agents reporting) each await of the reads would queue
        // behind the thread pool's backlog, and the time a result waits to be published is mostly that queue, not the reads.
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new Thread(() =>
        {
            try
            {
                Publish(stoppingToken);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                finished.TrySetResult();
            }
        }) { IsBackground = true, Name = "Fleet live publisher" };
        loop.Start();
        return Task.WhenAll(finished.Task, reader.ContinueWith(_ => { }, TaskScheduler.Default));
    }

    /// <summary>Under <see cref="_gate"/>.</summary>
    private void Pending(long invocationId, DateTimeOffset stamped)
    {
        if (!_pendingInvocations.TryGetValue(invocationId, out var earliest) || stamped < earliest) _pendingInvocations[invocationId] = stamped;
    }

    private void Signal()
    {
        lock (_gate)
            if (_arrived.CurrentCount == 0) _arrived.Release();
    }

    private void Publish(CancellationToken stoppingToken)
    {
        var pacing = new LivePacing(Interval);
        while (true)
        {
            _arrived.Wait(stoppingToken);
            Sleep(pacing.UntilRead(clock.GetUtcNow()), stoppingToken);
            KeyValuePair<long, DateTimeOffset>[] invocations;
            Guid[] hosts;
            bool fleet;
            lock (_gate)
            {
                invocations = [.. _pendingInvocations];
                hosts = [.. _pendingHosts];
                fleet = _fleetChanged;
                _pendingInvocations.Clear();
                _pendingHosts.Clear();
                _fleetChanged = false;
            }
            try
            {
                var readStarted = clock.GetUtcNow();
                var outgoing = new List<Outgoing>();
                var leftOver = false;
                foreach (var (id, stamped) in invocations)
                {
                    if (!ReadInvocation(id, stamped, outgoing)) continue;
                    lock (_gate) Pending(id, DateTimeOffset.MaxValue); // runs were left for the next message (Sent.ReadFrom)
                    leftOver = true;
                }
                var at = clock.GetUtcNow();
                foreach (var host in hosts.Where(h => subscriptions.HasMembers(LiveHub.HostGroup(h))))
                    outgoing.Add(new Outgoing(subscriptions.MembersOf(LiveHub.HostGroup(host)),
                        new LiveProgress(LiveHub.HostGroup(host), new Dictionary<string, int>(), 0, [], at)));
                if ((fleet || hosts.Length > 0) && subscriptions.HasMembers(LiveHub.FleetGroup))
                    outgoing.Add(new Outgoing(subscriptions.MembersOf(LiveHub.FleetGroup),
                        new LiveProgress(LiveHub.FleetGroup, new Dictionary<string, int>(), 0, [], at)));
                pacing.Read(clock.GetUtcNow() - readStarted);
                if (leftOver) Signal();
                if (outgoing.Count == 0) continue;
                Sleep(pacing.UntilSend(clock.GetUtcNow()), stoppingToken);
                foreach (var message in outgoing)
                    if (message.To.Count > 0)
                        hub.Clients.Clients(message.To).SendAsync(LiveHub.ProgressMethod, message.Progress, stoppingToken).GetAwaiter().GetResult();
                // Timed from when the sends are done, not begun: a large message that took long to write is then never followed
                // closely by a small one, which would reach the client almost together with it.
                pacing.Sent(clock.GetUtcNow());
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Publishing live updates failed");
            }
        }
    }

    private static void Sleep(TimeSpan wait, CancellationToken ct)
    {
        if (wait > TimeSpan.Zero && ct.WaitHandle.WaitOne(wait)) ct.ThrowIfCancellationRequested();
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } first && first < b ? first : b;

    private sealed record Outgoing(IReadOnlyList<string> To, LiveProgress Progress);

    /// <returns>True when changed runs were left out of this message and the next one should carry them.</returns>
    /// <param name="stamped">The earliest time the changes that made this read due were stamped at (<see cref="FleetEvent.At"/>).</param>
    private bool ReadInvocation(long invocationId, DateTimeOffset stamped, List<Outgoing> outgoing)
    {
        using var db = dbFactory.CreateDbContext();
        // Stage-run groups of this invocation are only known after reading; a few rows, read before anything costly.
        var watchedStages = db.StageRuns.AsNoTracking().Where(s => s.InvocationId == invocationId).Select(s => s.Id).ToList()
            .Where(s => subscriptions.HasMembers(LiveHub.StageRunGroup(s))).ToList();
        _sent.TryGetValue(invocationId, out var sent);
        if (watchedStages.Count == 0 && !subscriptions.HasMembers(LiveHub.InvocationGroup(invocationId)))
        {
            // Nobody watches now; whoever joins later still gets these changes in the next message.
            if (sent is not null) sent.ReadFrom = Earliest(sent.ReadFrom, stamped);
            return false;
        }
        if (sent is null) _sent[invocationId] = sent = new Sent();
        // From the earliest stamp of the changes since the last read, not from that read: a change stamped before it but
        // committed after it has its event after it too. A run read twice is sent again only if its status moved.
        var since = sent.At == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : Earliest(sent.ReadFrom, stamped);
        var now = clock.GetUtcNow();
        var runs = db.TargetRuns.Where(r => r.InvocationId == invocationId);
        // Counted per stage run only when one is watched: by status alone the count reads only the (invocation, status) index,
        // not every run's row (at 10,000 runs about 1 ms against 10 ms, each message).
        var counts = watchedStages.Count > 0 ? runs.Tally() : runs.TallyByStatus();
        var changed = db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId && r.UpdatedAt >= since)
            .Select(r => new { r.Id, r.StageRunId, r.HostId, r.DeviceName, r.Status, r.UpdatedAt }).ToList();
        sent.At = now;
        if (_sent.Count > 1_000) _sent.Remove(_sent.MinBy(kv => kv.Value.At).Key);
        changed = changed.Where(r => !sent.Statuses.TryGetValue(r.Id, out var status) || status != r.Status)
            .OrderBy(r => r.Status.IsFinal() ? 0 : 1).ThenBy(r => r.UpdatedAt).ToList();
        var cap = MaxRunsPerMessage;
        var leftOver = changed.Skip(cap).ToList();
        changed = changed.Take(cap).ToList();
        foreach (var run in changed) sent.Statuses[run.Id] = run.Status;
        sent.ReadFrom = leftOver.Count > 0 ? leftOver.Min(r => r.UpdatedAt) : null;

        var all = counts.ByWireStatus();
        outgoing.Add(new Outgoing(subscriptions.MembersOf(LiveHub.InvocationGroup(invocationId)),
            new LiveProgress(LiveHub.InvocationGroup(invocationId), all, all.Values.Sum(),
                changed.Select(r => new LiveRun(r.Id, r.HostId, r.DeviceName, r.Status.Wire(), r.UpdatedAt)).ToList(), now)));
        foreach (var stage in watchedStages)
        {
            var stageCounts = counts.Where(c => c.StageRunId == stage).ByWireStatus();
            outgoing.Add(new Outgoing(subscriptions.MembersOf(LiveHub.StageRunGroup(stage)),
                new LiveProgress(LiveHub.StageRunGroup(stage), stageCounts, stageCounts.Values.Sum(),
                    changed.Where(r => r.StageRunId == stage).Select(r => new LiveRun(r.Id, r.HostId, r.DeviceName, r.Status.Wire(), r.UpdatedAt)).ToList(), now)));
        }
        return leftOver.Count > 0;
    }
}
