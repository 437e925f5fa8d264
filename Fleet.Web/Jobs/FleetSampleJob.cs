using Fleet.Web.Data;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Jobs;

/// <summary>Every ten minutes: how many hosts are online, for the overview's 24-hour chart. Keeps eight days.</summary>
public sealed class FleetSampleJob(IDbContextFactory<FleetDbContext> dbFactory, IFleetReader reader, TimeProvider clock)
{
    public const string RecurringId = "overview:sample-fleet";
    private static readonly TimeSpan Kept = TimeSpan.FromDays(8);

    public async Task RunAsync()
    {
        var counts = await reader.GetCountsAsync();
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync();
        db.FleetSamples.Add(new FleetSampleRecord { At = now, Total = counts.Total, Online = counts.Online });
        await db.SaveChangesAsync();
        var cutoff = now - Kept;
        await db.FleetSamples.Where(s => s.At < cutoff).ExecuteDeleteAsync();
    }
}
