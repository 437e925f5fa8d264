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
/// Forwards the in-process event stream to LiveHub groups, coalesced: events gather for a quarter of a
/// second, then each touched invocation (and its stage run) gets one message with exact counts read from
/// the database and the runs changed since its last message. 10,000 runs finishing together cost a client
/// four messages a second, and the last one always carries the final counts.
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
    /// <summary>300 ms rather than 250: with delivery jitter a client then never sees more than 4 messages in any second.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    /// <summary>What has been sent for each watched invocation.</summary>
    private sealed class Sent
    {
        public DateTimeOffset At { get; set; } = DateTimeOffset.MinValue;
        /// <summary>Each run's status as last sent, so the overlapping read repeats nothing.</summary>
        public Dictionary<Guid, TargetRunStatus> Statuses { get; } = [];
        /// <summary>Where the next read starts when the last message had to leave runs out.</summary>
        public DateTimeOffset? ReadFrom { get; set; }
    }

    private readonly Dictionary<long, Sent> _sent = [];

    /// <summary>
    /// Runs per message (<c>Fleet:Live:MaxRunsPerMessage</c>, default 2,000). A burst (10,000 runs dispatched at
    /// once) is spread over a few messages instead of one huge one that delays everything behind it; results go
    /// first, the rest follow in the next messages.
    /// </summary>
    private int MaxRunsPerMessage => Math.Max(1, configuration.GetValue("Fleet:Live:MaxRunsPerMessage", 2000));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pendingInvocations = new HashSet<long>();
        var pendingHosts = new HashSet<Guid>();
        var fleetChanged = false;
        var gate = new object();
        var reader = Task.Run(async () =>
        {
            await foreach (var batch in events.SubscribeAsync(stoppingToken))
            {
                lock (gate)
                {
                    foreach (var e in batch)
                    {
                        if (e.InvocationId is { } id) pendingInvocations.Add(id);
                        else fleetChanged = true;
                        if (e.HostId != Guid.Empty) pendingHosts.Add(e.HostId);
                    }
                }
            }
        }, stoppingToken);

        try
        {
            while (true)
            {
                // A pause after each round rather than a fixed tick: a round that ran long (a loaded server) is never followed
                // at once by the tick it missed, so a group gets at most one message per interval however slow the server is.
                await Task.Delay(Interval, clock, stoppingToken);
                long[] invocations;
                Guid[] hosts;
                bool fleet;
                lock (gate)
                {
                    invocations = [.. pendingInvocations];
                    hosts = [.. pendingHosts];
                    fleet = fleetChanged;
                    pendingInvocations.Clear();
                    pendingHosts.Clear();
                    fleetChanged = false;
                }
                try
                {
                    foreach (var id in invocations)
                    {
                        if (!await PublishInvocationAsync(id, stoppingToken)) continue;
                        lock (gate) pendingInvocations.Add(id); // runs were left for the next message
                    }
                    var at = clock.GetUtcNow();
                    foreach (var host in hosts.Where(h => subscriptions.HasMembers(LiveHub.HostGroup(h))))
                        await hub.Clients.Clients(subscriptions.MembersOf(LiveHub.HostGroup(host))).SendAsync(LiveHub.ProgressMethod,
                            new LiveProgress(LiveHub.HostGroup(host), new Dictionary<string, int>(), 0, [], at), stoppingToken);
                    if ((fleet || hosts.Length > 0) && subscriptions.HasMembers(LiveHub.FleetGroup))
                        await hub.Clients.Clients(subscriptions.MembersOf(LiveHub.FleetGroup)).SendAsync(LiveHub.ProgressMethod,
                            new LiveProgress(LiveHub.FleetGroup, new Dictionary<string, int>(), 0, [], at), stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Publishing live updates failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        await reader.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <returns>True when changed runs were left out of this message and the next tick should send them.</returns>
    private async Task<bool> PublishInvocationAsync(long invocationId, CancellationToken ct)
    {
        if (!subscriptions.HasMembers(LiveHub.InvocationGroup(invocationId)))
        {
            // Stage-run groups of this invocation are only known after reading; check cheaply whether any is watched.
            await using var probe = await dbFactory.CreateDbContextAsync(ct);
            var stages = await probe.StageRuns.AsNoTracking().Where(s => s.InvocationId == invocationId).Select(s => s.Id).ToListAsync(ct);
            if (!stages.Any(s => subscriptions.HasMembers(LiveHub.StageRunGroup(s)))) return false;
        }
        // Overlap the previous window: a change stamped just before the last read but committed after it
        // must not be missed. A run sent twice only repeats its current status.
        if (!_sent.TryGetValue(invocationId, out var sent)) _sent[invocationId] = sent = new Sent();
        var since = sent.ReadFrom ?? (sent.At == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : sent.At - TimeSpan.FromSeconds(2));
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.TargetRuns.Where(r => r.InvocationId == invocationId).TallyAsync(ct);
        var changed = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId && r.UpdatedAt >= since)
            .Select(r => new { r.Id, r.StageRunId, r.HostId, r.DeviceName, r.Status, r.UpdatedAt }).ToListAsync(ct);
        sent.At = now;
        if (_sent.Count > 1_000) _sent.Remove(_sent.MinBy(kv => kv.Value.At).Key);
        changed = changed.Where(r => !sent.Statuses.TryGetValue(r.Id, out var status) || status != r.Status)
            .OrderBy(r => r.Status.IsFinal() ? 0 : 1).ThenBy(r => r.UpdatedAt).ToList();
        var cap = MaxRunsPerMessage;
        var leftOver = changed.Skip(cap).ToList();
        changed = changed.Take(cap).ToList();
        foreach (var run in changed) sent.Statuses[run.Id] = run.Status;
        sent.ReadFrom = leftOver.Count > 0 ? leftOver.Min(r => r.UpdatedAt) - TimeSpan.FromSeconds(2) : null;

        var all = counts.ByWireStatus();
        await hub.Clients.Clients(subscriptions.MembersOf(LiveHub.InvocationGroup(invocationId))).SendAsync(LiveHub.ProgressMethod,
            new LiveProgress(LiveHub.InvocationGroup(invocationId), all, all.Values.Sum(),
                changed.Select(r => new LiveRun(r.Id, r.HostId, r.DeviceName, r.Status.Wire(), r.UpdatedAt)).ToList(), now), ct);
        foreach (var stage in counts.Select(c => c.StageRunId).Distinct())
        {
            var stageCounts = counts.Where(c => c.StageRunId == stage).ByWireStatus();
            await hub.Clients.Clients(subscriptions.MembersOf(LiveHub.StageRunGroup(stage))).SendAsync(LiveHub.ProgressMethod,
                new LiveProgress(LiveHub.StageRunGroup(stage), stageCounts, stageCounts.Values.Sum(),
                    changed.Where(r => r.StageRunId == stage).Select(r => new LiveRun(r.Id, r.HostId, r.DeviceName, r.Status.Wire(), r.UpdatedAt)).ToList(), now), ct);
        }
        return leftOver.Count > 0;
    }
}
