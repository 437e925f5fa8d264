using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Domain.Inventory;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Overview;

/// <summary>
/// The overview's numbers. Each part is a grouped or bounded query, so the page costs the same for ten
/// hosts as for ten thousand (the disk flag is kept per host when inventory arrives, never parsed here).
/// </summary>
public sealed class OverviewReader(
    IDbContextFactory<FleetDbContext> dbFactory,
    IFleetReader fleet,
    IInvocationService invocations,
    TimeProvider clock) : IOverviewReader
{
    /// <summary>A disk this full (as df rounds it) puts its host on the attention list.</summary>
    public const int DiskNearlyFullPercent = 90;
    private const int SlicesShown = 6;
    private const int AttentionShownPerKind = 5;
    private const int ResultDays = 7;

    public async Task<FleetOverview> GetAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var counts = await fleet.GetCountsAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var approved = db.Hosts.AsNoTracking().Where(h => h.Approval == HostApproval.Approved);

        var since = now.AddHours(-24);
        var history = await db.FleetSamples.AsNoTracking().Where(s => s.At >= since).OrderBy(s => s.At)
            .Select(s => new OnlineSample(s.At, s.Online, s.Total)).ToListAsync(ct);
        // The chart ends at the present, not at the last sample.
        history.Add(new OnlineSample(now, counts.Online, counts.Total));

        var systems = await approved.GroupBy(h => new { h.Platform, h.OsVersion })
            .Select(g => new { g.Key.Platform, g.Key.OsVersion, Count = g.Count() }).ToListAsync(ct);
        var versions = await approved.GroupBy(h => h.AgentVersion)
            .Select(g => new { Version = g.Key, Count = g.Count() }).ToListAsync(ct);

        var failed = await invocations.ListAsync(new InvocationListQuery(Status: "failed", PageSize: 5), ct);

        return new FleetOverview(
            counts,
            history,
            Slices(systems.Select(s => (OsLabel(s.Platform, s.OsVersion), s.Count))),
            Slices(versions.Select(v => (string.IsNullOrEmpty(v.Version) ? "unknown" : v.Version, v.Count))),
            await DailyResultsAsync(db, now, ct),
            failed.Items,
            await AttentionAsync(db, counts, ct));
    }

    /// <summary>The OS release ("Ubuntu 22.04 LTS") says more than the platform ("linux") it belongs to.</summary>
    private static string OsLabel(string platform, string version) =>
        !string.IsNullOrWhiteSpace(version) ? version : string.IsNullOrWhiteSpace(platform) ? "unknown" : platform;

    /// <summary>Largest first; past the first few, one "Other" slice, so a chart stays readable.</summary>
    public static IReadOnlyList<MixSlice> Slices(IEnumerable<(string Label, int Hosts)> groups)
    {
        var merged = groups.GroupBy(g => g.Label).Select(g => new MixSlice(g.Key, g.Sum(x => x.Hosts)))
            .OrderByDescending(s => s.Hosts).ThenBy(s => s.Label, StringComparer.Ordinal).ToList();
        if (merged.Count <= SlicesShown) return merged;
        var shown = merged.Take(SlicesShown - 1).ToList();
        shown.Add(new MixSlice("Other", merged.Skip(SlicesShown - 1).Sum(s => s.Hosts)));
        return shown;
    }

    private static async Task<IReadOnlyList<DailyResults>> DailyResultsAsync(FleetDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = new List<DailyResults>(ResultDays);
        // One grouped count per day: dates are stored as numbers, which SQLite cannot cut into days itself.
        for (var back = ResultDays - 1; back >= 0; back--)
        {
            var day = today.AddDays(-back);
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = start.AddDays(1);
            var outcomes = await db.TargetRuns.AsNoTracking()
                .Where(r => r.EndedAt >= start && r.EndedAt < end)
                .GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
            days.Add(new DailyResults(day,
                outcomes.Where(o => o.Status == TargetRunStatus.Success).Sum(o => o.Count),
                outcomes.Where(o => o.Status is TargetRunStatus.Failure or TargetRunStatus.Timeout).Sum(o => o.Count)));
        }
        return days;
    }

    /// <summary>The offline and pending totals are the counters' own, so the page never shows two different numbers for one thing.</summary>
    private static async Task<AttentionList> AttentionAsync(FleetDbContext db, FleetCounts counts, CancellationToken ct)
    {
        var hosts = db.Hosts.AsNoTracking();
        var offline = hosts.Where(h => h.Approval == HostApproval.Approved && h.Connectivity == HostConnectivity.Offline);
        var pending = hosts.Where(h => h.Approval == HostApproval.Pending);
        var full = from section in db.InventorySections.AsNoTracking()
                   where section.Section == InventorySections.Storage && section.FullestPercent > DiskNearlyFullPercent
                   join host in hosts on section.HostId equals host.Id
                   where host.Approval == HostApproval.Approved
                   select new { host.Id, host.Hostname, Percent = section.FullestPercent!.Value, section.UpdatedAt };

        var list = new List<AttentionHost>();
        list.AddRange((await offline.OrderBy(h => h.Hostname).Take(AttentionShownPerKind)
                .Select(h => new { h.Id, h.Hostname, Since = h.OfflineSince ?? h.LastSeen }).ToListAsync(ct))
            .Select(h => new AttentionHost(h.Id, h.Hostname, "offline", "offline", h.Since)));
        list.AddRange((await full.OrderByDescending(h => h.Percent).ThenBy(h => h.Hostname).Take(AttentionShownPerKind).ToListAsync(ct))
            .Select(h => new AttentionHost(h.Id, h.Hostname, "disk", $"a disk {h.Percent} % full", h.UpdatedAt)));
        list.AddRange((await pending.OrderBy(h => h.EnrolledAt).Take(AttentionShownPerKind)
                .Select(h => new { h.Id, h.Hostname, h.EnrolledAt }).ToListAsync(ct))
            .Select(h => new AttentionHost(h.Id, h.Hostname, "pending", "waiting for approval", h.EnrolledAt)));
        return new AttentionList(list, counts.Offline, await full.CountAsync(ct), counts.PendingApproval);
    }
}
