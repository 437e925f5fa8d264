using Fleet.Domain.Hosts;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Jobs;

/// <summary>
/// Marks hosts offline whose heartbeat is late, and closes their connection if it is still open: a
/// half-open TCP connection can look alive long after the machine is gone. Safe to run twice.
/// </summary>
public sealed class HostSweepJob(
    DbWriteBatcher writer,
    IAgentPresence presence,
    HeartbeatRecorder heartbeats,
    IFleetEvents events,
    IOptionsMonitor<AgentOptions> options,
    TimeProvider clock)
{
    public const string RecurringId = "hosts:mark-late-offline";

    public async Task<int> RunAsync()
    {
        await heartbeats.FlushAsync();
        var now = clock.GetUtcNow();
        var deadline = now - options.CurrentValue.OfflineAfter;
        // Through the one writer, like every hot-path write, so it never waits on SQLite's lock behind a burst.
        var late = await writer.WriteAsync(async db =>
        {
            var online = await db.Hosts.Where(h => h.Connectivity == HostConnectivity.Online).ToListAsync();
            var late = online.Where(h => !presence.IsConnected(h.Id) || (heartbeats.LastSeen(h.Id) ?? h.LastSeen) < deadline).ToList();
            foreach (var host in late) host.MarkOffline(now);
            return late;
        });
        foreach (var host in late) presence.Abort(host.Id);
        foreach (var host in late) events.Publish(new FleetEvent(FleetEventKind.HostOffline, host.Id, now));
        return late.Count;
    }
}
