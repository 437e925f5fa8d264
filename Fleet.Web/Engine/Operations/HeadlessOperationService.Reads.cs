using System.Text;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Domain.Operations;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Operations;

public sealed partial class HeadlessOperationService
{
    /// <summary>Most output read back per device to find the operation's markers; the templates print far less.</summary>
    private const int MaxOutputChars = 256 * 1024;

    /// <summary>One row per device of each operation, in operation then device order; <see cref="OperationListQuery.Id"/> keeps one operation's.</summary>
    public async Task<Paged<OperationDeviceRow>> ListAsync(OperationListQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = db.OperationDevices.AsNoTracking();
        if (query.Id is { } id) devices = devices.Where(d => d.OperationId == id);
        if (query.Type is { } type) devices = devices.Where(d => db.HeadlessOperations.Any(o => o.Id == d.OperationId && o.Type == type));
        if (query.State is { } state) devices = devices.Where(d => db.HeadlessOperations.Any(o => o.Id == d.OperationId && o.State == state));
        if (!string.IsNullOrWhiteSpace(query.Device))
        {
            var device = query.Device.Trim().ToLowerInvariant();
            devices = devices.Where(d => d.DeviceName.ToLower().Contains(device));
        }
        var total = await devices.CountAsync(ct);
        var page = await devices.OrderBy(d => d.OperationId).ThenBy(d => d.Position).Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        if (page.Count == 0) return new Paged<OperationDeviceRow>([], total);

        var operationIds = page.Select(d => d.OperationId).Distinct().ToList();
        var hostIds = page.Select(d => d.HostId).Distinct().ToList();
        var operations = await db.HeadlessOperations.AsNoTracking().Where(o => operationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var hostsById = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        // Only the latest occurrence of each operation speaks for its devices.
        var runs = (await db.OperationRuns.AsNoTracking().Where(r => operationIds.Contains(r.OperationId)).ToListAsync(ct))
            .GroupBy(r => r.OperationId)
            .ToDictionary(g => g.Key, g => g.Where(r => r.Occurrence == g.Max(x => x.Occurrence)).OrderByDescending(r => r.Attempt).ToList());
        var invocationIds = runs.Values.SelectMany(r => r).Select(r => r.InvocationId).ToList();
        var targetRuns = await db.TargetRuns.AsNoTracking().Where(t => invocationIds.Contains(t.InvocationId) && hostIds.Contains(t.HostId)).ToListAsync(ct);
        var commandIds = targetRuns.Where(t => t.CommandId != null).Select(t => t.CommandId!.Value).ToList();
        var commands = await db.Commands.AsNoTracking().Where(c => commandIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var output = await OutputAsync(db, commandIds, ct);

        var rows = new List<OperationDeviceRow>(page.Count);
        foreach (var device in page)
        {
            var operation = operations[device.OperationId];
            var host = hostsById.GetValueOrDefault(device.HostId);
            var occurrence = runs.GetValueOrDefault(device.OperationId) ?? [];
            var attempts = occurrence.Where(r => targetRuns.Any(t => t.InvocationId == r.InvocationId && t.HostId == device.HostId)).ToList();
            var latest = attempts.Count == 0 ? null : targetRuns.First(t => t.InvocationId == attempts[0].InvocationId && t.HostId == device.HostId);
            var command = latest?.CommandId is { } commandId ? commands.GetValueOrDefault(commandId) : null;
            var parsed = OperationOutput.Parse(command is null ? "" : output.GetValueOrDefault(command.Id, ""));
            var failed = latest?.Status is TargetRunStatus.Failure or TargetRunStatus.Timeout or TargetRunStatus.Invalid;
            var status = DeviceStatus.Of(latest?.Status, parsed, failed && operation.RetryPolicy.Retries(attempts.Count));
            var first = attempts.Count == 0 ? null : attempts[^1];
            rows.Add(new OperationDeviceRow(operation.Id, operation.PublicId, device.DeviceName, operation.Type, status,
                first?.StartedAt ?? operation.NextExecution ?? operation.ScheduledAt ?? operation.CreatedAt,
                first is null ? null : targetRuns.First(t => t.InvocationId == first.InvocationId && t.HostId == device.HostId).StartedAt ?? first.StartedAt,
                status.Finished ? latest?.EndedAt : null,
                new DeviceDetails(host?.SerialNumber, host?.Model, host?.Manufacturer, host?.Location, host?.LastSeen ?? operation.CreatedAt),
                parsed, command?.ExitCode, latest?.Reason ?? command?.Error, attempts.Count, device.HostId, operation.NextExecution));
        }
        return new Paged<OperationDeviceRow>(rows, total);
    }

    public async Task<OperationSummary?> GetAsync(long operationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var o = await db.HeadlessOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == operationId, ct);
        return o is null ? null : new OperationSummary(o.Id, o.PublicId, o.Type, o.State, o.Schedule, o.NextExecution, o.Occurrences, o.LastStartedAt,
            o.RetryPolicy, o.Notification, o.Owner, o.CreatedAt, o.ParametersJson);
    }

    public async Task<IReadOnlyList<DeliveryRow>> RecentDeliveriesAsync(int count, long? operationId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.NotificationDeliveries.AsNoTracking();
        if (operationId is { } id) query = query.Where(d => d.OperationId == id);
        var deliveries = await query.OrderByDescending(d => d.Id).Take(count).ToListAsync(ct);
        return deliveries.Select(d => new DeliveryRow(HeadlessOperation.IdPrefix + d.OperationId, d.Occurrence, d.Channel, d.Target, d.Attempt, d.Succeeded,
            d.StatusCode, d.Reply, d.At)).ToList();
    }

    private static async Task<Dictionary<Guid, string>> OutputAsync(FleetDbContext db, IReadOnlyList<Guid> commandIds, CancellationToken ct)
    {
        var chunks = await db.OutputChunks.AsNoTracking().Where(c => commandIds.Contains(c.CommandId) && c.Stream == OutputStream.Stdout)
            .OrderBy(c => c.Sequence).Select(c => new { c.CommandId, c.Text }).ToListAsync(ct);
        var text = new Dictionary<Guid, StringBuilder>();
        foreach (var chunk in chunks)
        {
            var builder = text.TryGetValue(chunk.CommandId, out var b) ? b : text[chunk.CommandId] = new StringBuilder();
            if (builder.Length < MaxOutputChars) builder.Append(chunk.Text);
        }
        return text.ToDictionary(p => p.Key, p => p.Value.ToString());
    }
}
