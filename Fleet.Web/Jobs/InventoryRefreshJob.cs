using Fleet.Domain.Hosts;
using Fleet.Domain.Inventory;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Jobs;

/// <summary>Periodic inventory refresh of online hosts whose inventory is older than the refresh interval.</summary>
public sealed class InventoryRefreshJob(
    IDbContextFactory<FleetDbContext> dbFactory,
    IHostOperations operations,
    IOptionsMonitor<AgentOptions> options,
    TimeProvider clock)
{
    public const string RecurringId = "inventory:refresh-stale";

    public async Task<int> RunAsync()
    {
        var staleBefore = clock.GetUtcNow() - TimeSpan.FromHours(Math.Max(1, options.CurrentValue.InventoryRefreshHours));
        await using var db = await dbFactory.CreateDbContextAsync();
        var stale = await db.Hosts.AsNoTracking()
            .Where(h => h.Approval == HostApproval.Approved && h.Connectivity == HostConnectivity.Online &&
                        (h.InventoryUpdatedAt == null || h.InventoryUpdatedAt < staleBefore))
            .Select(h => h.Id)
            .ToListAsync();
        if (stale.Count > 0) await operations.RequestInventoryAsync(stale, InventorySections.All);
        return stale.Count;
    }
}
