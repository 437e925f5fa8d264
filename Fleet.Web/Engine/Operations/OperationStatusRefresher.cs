using Fleet.Domain.Inventory;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Operations;

/// <param name="Answered">Devices whose agents sent fresh facts (last seen) in time.</param>
/// <param name="NotAnswered">Devices offline, or whose agents did not answer within the bound.</param>
public sealed record RefreshOutcome(IReadOnlyList<string> Answered, IReadOnlyList<string> NotAnswered);

/// <summary>
/// Seed 000's <c>update_status=true</c>: before a list is answered, the online agents of the listed devices are asked for
/// fresh facts (their answer moves last seen), and the answer waits for them at most <see cref="Bound"/>. Progress needs no
/// asking: running commands stream their output as it comes.
/// </summary>
public sealed class OperationStatusRefresher(IDbContextFactory<FleetDbContext> dbFactory, IHostOperations hosts, IAgentPresence presence, IFleetEvents events)
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    public async Task<RefreshOutcome> RefreshAsync(OperationListQuery query, CancellationToken ct)
    {
        List<(Guid HostId, string DeviceName)> devices;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var rows = db.OperationDevices.AsNoTracking();
            if (query.Id is { } id) rows = rows.Where(d => d.OperationId == id);
            devices = (await rows.OrderBy(d => d.OperationId).ThenBy(d => d.Position).Skip(query.Offset).Take(query.Limit)
                .Select(d => new { d.HostId, d.DeviceName }).ToListAsync(ct)).Select(d => (d.HostId, d.DeviceName)).ToList();
        }
        var waiting = devices.Select(d => d.HostId).Where(presence.IsConnected).ToHashSet();
        if (waiting.Count > 0)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(Bound);
            await using var stream = events.SubscribeAsync(bound.Token).GetAsyncEnumerator(bound.Token);
            // Subscribed before asking, so no answer can slip between the request and the wait.
            var next = stream.MoveNextAsync();
            var answered = new HashSet<Guid>();
            await hosts.RequestInventoryAsync(waiting.ToList(), InventorySections.None, ct);
            // Never leave a MoveNextAsync pending: disposing the stream under one throws.
            while (await next)
            {
                answered.UnionWith(stream.Current.Where(e => e.Kind == FleetEventKind.InventoryUpdated && waiting.Contains(e.HostId)).Select(e => e.HostId));
                if (answered.Count >= waiting.Count) break;
                next = stream.MoveNextAsync();
            }
            waiting.IntersectWith(answered);
        }
        return new RefreshOutcome(
            devices.Where(d => waiting.Contains(d.HostId)).Select(d => d.DeviceName).Distinct().ToList(),
            devices.Where(d => !waiting.Contains(d.HostId)).Select(d => d.DeviceName).Distinct().ToList());
    }
}
