using Fleet.Domain;
using Fleet.Domain.Agents;
using Fleet.Domain.Hosts;
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
            host.Reject(now);
            await db.SaveChangesAsync(ct);
        }
        events.Publish(new FleetEvent(FleetEventKind.HostRejected, hostId, now));
        await sender.NotifyRefusedAsync(hostId, "An operator rejected this host.");
    }

    public async Task RevokeAsync(Guid hostId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var host = await db.Hosts.FindAsync([hostId], ct) ?? throw new HostNotFoundException(hostId);
            host.RevokeSecret(now);
            // A waiting re-enrolment would otherwise be approved later against an identity the operator just withdrew.
            foreach (var request in await OpenRequests(db, hostId).ToListAsync(ct)) request.Supersede(now);
            await db.SaveChangesAsync(ct);
        }
        events.Publish(new FleetEvent(FleetEventKind.HostRevoked, hostId, now));
        await sender.RefuseAcceptedAsync(hostId, "An operator revoked this host's secret.");
        await sender.NotifyReenrolmentRejectedAsync(hostId, "An operator revoked this host.");
    }

    public async Task ApproveReenrolmentAsync(Guid hostId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var host = await db.Hosts.FindAsync([hostId], ct) ?? throw new HostNotFoundException(hostId);
            var request = await OpenRequests(db, hostId).FirstOrDefaultAsync(r => r.Status == ReenrolmentStatus.Pending, ct)
                ?? throw new DomainException($"Host '{host.Hostname}' has no pending re-enrolment request.");
            request.Approve(now);
            // The old agent's secret stops working now, whether or not the requester comes back for the new one.
            if (!host.IsRevoked) host.RevokeSecret(now);
            await db.SaveChangesAsync(ct);
        }
        events.Publish(new FleetEvent(FleetEventKind.HostReenrolled, hostId, now));
        await sender.RefuseAcceptedAsync(hostId, "An operator approved another agent's re-enrolment for this host; this agent's secret was revoked.");
        await sender.NotifyReenrolmentApprovedAsync(hostId);
    }

    public async Task RejectReenrolmentAsync(Guid hostId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var host = await db.Hosts.FindAsync([hostId], ct) ?? throw new HostNotFoundException(hostId);
            var request = await OpenRequests(db, hostId).FirstOrDefaultAsync(r => r.Status == ReenrolmentStatus.Pending, ct)
                ?? throw new DomainException($"Host '{host.Hostname}' has no pending re-enrolment request.");
            request.Reject(now);
            await db.SaveChangesAsync(ct);
        }
        events.Publish(new FleetEvent(FleetEventKind.HostReenrolled, hostId, now));
        await sender.NotifyReenrolmentRejectedAsync(hostId, "An operator rejected this agent's re-enrolment.");
    }

    private static IQueryable<ReenrolmentRequest> OpenRequests(FleetDbContext db, Guid hostId) =>
        db.ReenrolmentRequests.Where(r => r.HostId == hostId && (r.Status == ReenrolmentStatus.Pending || r.Status == ReenrolmentStatus.Approved));

    public async Task<InventoryRefresh> RequestInventoryAsync(IReadOnlyList<Guid> hostIds, InventorySections sections, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var distinct = hostIds.Distinct().ToList();
        var batchId = Guid.NewGuid();
        var approval = new Dictionary<Guid, HostApproval>();
        var requests = new Dictionary<Guid, InventoryRequestRecord>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var chunk in distinct.Chunk(500))
                foreach (var host in await db.Hosts.Where(h => chunk.Contains(h.Id)).Select(h => new { h.Id, h.Approval }).ToListAsync(ct))
                    approval[host.Id] = host.Approval;
            // Guid.Empty is an id like any other here: no host has it, so it is missing, never "none".
            foreach (var hostId in distinct.Where(id => approval.TryGetValue(id, out var a) && a == HostApproval.Approved))
                requests[hostId] = new InventoryRequestRecord { Id = Guid.NewGuid(), BatchId = batchId, HostId = hostId, Sections = sections, RequestedAt = now };
            db.InventoryRequests.AddRange(requests.Values);
            await db.SaveChangesAsync(ct);
        }

        var results = new List<InventoryRequestResult>(distinct.Count);
        foreach (var hostId in distinct)
        {
            if (requests.TryGetValue(hostId, out var request))
            {
                var sent = await sender.CollectInventoryAsync(hostId, new InventoryRequest(request.Id, sections));
                results.Add(new InventoryRequestResult(hostId, sent ? InventoryRequestOutcome.Sent : InventoryRequestOutcome.Queued, request.Id));
            }
            else
            {
                results.Add(new InventoryRequestResult(hostId, approval.ContainsKey(hostId) ? InventoryRequestOutcome.NotApproved : InventoryRequestOutcome.NotFound, null));
            }
        }
        return new InventoryRefresh(batchId, results, now + EstimatedRefreshTime);
    }
}
