using System.Text;
using System.Text.Json;
using Fleet.Domain.Operations;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Operations.Notifications;

public sealed record NotificationPayload(
    string Event,
    string OperationId,
    string OperationType,
    int Occurrence,
    string Status,
    string? MonitoringUrl,
    IReadOnlyList<NotifiedDevice> Devices,
    DateTimeOffset At);

/// <param name="Result">healthy/degraded/unhealthy for a health check, else success/failure/cancelled.</param>
public sealed record NotifiedDevice(string DeviceName, string Status, int Progress, string? Result, int ChecksPassed, int ChecksFailed, int Warnings, int Attempts);

/// <summary>
/// Tells the operation's webhook and e-mail address that an occurrence ended, as its notification settings ask, and
/// records every delivery attempt. A notification that fails is recorded, never raised: the operation's outcome stands.
/// </summary>
public sealed class OperationNotifier(
    IDbContextFactory<FleetDbContext> dbFactory,
    HeadlessOperationService operations,
    WebhookSender webhooks,
    EmailSender email,
    KeyedLocks locks,
    TimeProvider clock,
    ILogger<OperationNotifier> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Safe to run twice, also at once: an occurrence that already has deliveries is not notified again.</summary>
    public async Task NotifyAsync(long operationId, int occurrence, CancellationToken ct = default)
    {
        // Held until the deliveries are written: the start-up catch-up and the run watcher may both reach one occurrence.
        using var held = await locks.EnterAsync($"notify:{operationId}:{occurrence}", ct);
        HeadlessOperation? operation;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            operation = await db.HeadlessOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == operationId, ct);
            if (operation is null || await db.NotificationDeliveries.AnyAsync(d => d.OperationId == operationId && d.Occurrence == occurrence, ct)) return;
        }
        var rows = (await operations.ListAsync(new OperationListQuery(operationId, HeadlessOperationService.MaxDevices, 0), ct)).Items;
        var failed = rows.Any(r => r.Status.Status == "failed");
        if (!operation.Notification.Wants(failed)) return;

        var payload = new NotificationPayload(failed ? "operation.failed" : "operation.completed", operation.PublicId, operation.Type.WireName(), occurrence,
            failed ? "failed" : "completed", operation.MonitoringUrl, rows.Select(Device).ToList(), clock.GetUtcNow());
        var deliveries = new List<NotificationDelivery>();
        if (operation.WebhookUrl is { } url) deliveries.AddRange(await WebhookAsync(operation, occurrence, new Uri(url), payload, ct));
        if (operation.Email is { } address) deliveries.Add(await EmailAsync(operation, occurrence, address, payload, ct));
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.NotificationDeliveries.AddRange(deliveries);
            await db.SaveChangesAsync(ct);
        }
    }

    private static NotifiedDevice Device(OperationDeviceRow row)
    {
        var output = row.Output;
        var result = !row.Status.Finished ? null
            : row.Type == OperationType.HealthCheck && output.Checks.Count > 0 ? output.HealthStatus
            : row.Status.Outcome;
        return new NotifiedDevice(row.DeviceName, row.Status.Status, row.Status.Progress, result, output.Passed, output.Failed, output.Warnings, row.Attempts);
    }

    private async Task<IEnumerable<NotificationDelivery>> WebhookAsync(HeadlessOperation operation, int occurrence, Uri url, NotificationPayload payload, CancellationToken ct)
    {
        var attempts = await webhooks.SendAsync(url, JsonSerializer.SerializeToUtf8Bytes(payload, Json), ct);
        if (!attempts.Any(a => a.Succeeded)) logger.LogWarning("Webhook for headless operation {Operation} was not delivered after {Attempts} attempts", operation.PublicId, attempts.Count);
        return attempts.Select(a => new NotificationDelivery(operation.Id, occurrence, NotificationChannel.Webhook, url.GetLeftPart(UriPartial.Path), a.Attempt, a.Succeeded,
            a.StatusCode, a.Error, a.At));
    }

    private async Task<NotificationDelivery> EmailAsync(HeadlessOperation operation, int occurrence, string address, NotificationPayload payload, CancellationToken ct)
    {
        var text = new StringBuilder()
            .AppendLine($"Headless operation {payload.OperationId} ({payload.OperationType}) {payload.Status}.")
            .AppendLine();
        foreach (var device in payload.Devices)
            text.AppendLine($"{device.DeviceName}: {device.Status}{(device.Result is null ? "" : $", {device.Result}")}" +
                            (device.ChecksPassed + device.ChecksFailed + device.Warnings > 0 ? $" ({device.ChecksPassed} passed, {device.ChecksFailed} failed, {device.Warnings} warnings)" : "") +
                            (device.Attempts > 1 ? $", {device.Attempts} attempts" : ""));
        if (payload.MonitoringUrl is { } url) text.AppendLine().AppendLine(url);
        var outcome = await email.SendAsync(address, $"[Fleet] {payload.OperationType} {payload.OperationId} {payload.Status}", text.ToString(), ct);
        if (!outcome.Sent) logger.LogWarning("E-mail for headless operation {Operation} was not sent: {Reply}", operation.PublicId, outcome.Reply);
        return new NotificationDelivery(operation.Id, occurrence, NotificationChannel.Email, address, 1, outcome.Sent, outcome.Code, outcome.Reply, clock.GetUtcNow());
    }
}
