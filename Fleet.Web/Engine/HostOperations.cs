using Fleet.Domain.Agents;
using Fleet.Domain.Inventory;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine;

/// <inheritdoc cref="IHostOperations"/>
public sealed class HostOperations(
    IDbContextFactory<FleetDbContext> dbFactory,
    IFleetEvents events,
    AgentSender sender,
    TimeProvider clock) : IHostOperations
{
    /// <summary>How long an agent typically needs to answer a refresh; only used for the estimate the API returns.</summary>
    public static readonly TimeSpan EstimatedRefreshTime = TimeSpan.FromMinutes(2);

    public async Task ApproveAsync(Guid hostId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var host = await db.Hosts.FindAsync([hostId], ct) ?? throw new HostNotFoundException(hostId);
            host.Approve(now);
            await db.SaveChangesAsync(ct);
        }
        events.Publish(new FleetEvent(FleetEventKind.HostApproved, hostId, now));
        await sender.NotifyApprovedAsync(hostId);
    }

    public async Task RejectAsync(Guid hostId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var host = await db.Hosts.FindAsync([hostId], ct) ?? throw new HostNotFoundException(hostId);
            host.Reject();
            await db.SaveChangesAsync(ct);
        }
        events.Publish(new FleetEvent(FleetEventKind.HostRejected, hostId, now));
        await sender.NotifyRefusedAsync(hostId, "An operator rejected this host.");
    }

    public async Task<InventoryRefresh> RequestInventoryAsync(IReadOnlyList<Guid> hostIds, InventorySections sections, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var distinct = hostIds.Distinct().ToList();
        var batchId = Guid.NewGuid();
        var requests = new List<InventoryRequestRecord>(distinct.Count);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var known = new HashSet<Guid>();
            foreach (var chunk in distinct.Chunk(500))
                known.UnionWith(await db.Hosts.Where(h => chunk.Contains(h.Id)).Select(h => h.Id).ToListAsync(ct));
            // Guid.Empty is an id like any other here: no host has it, so it is missing, never "none".
            foreach (var id in distinct)
                if (!known.Contains(id)) throw new HostNotFoundException(id);
            foreach (var hostId in distinct)
                requests.Add(new InventoryRequestRecord { Id = Guid.NewGuid(), BatchId = batchId, HostId = hostId, Sections = sections, RequestedAt = now });
            db.InventoryRequests.AddRange(requests);
            await db.SaveChangesAsync(ct);
        }

        var sent = 0;
        foreach (var request in requests)
            if (await sender.CollectInventoryAsync(request.HostId, new InventoryRequest(request.Id, sections))) sent++;
        return new InventoryRefresh(batchId, requests.Select(r => r.Id).ToList(), sent, now + EstimatedRefreshTime);
    }
}
