using Fleet.Domain.Execution;
using Fleet.Domain.Operations;
using Fleet.Web.Data;
using Fleet.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Operations;

public sealed partial class HeadlessOperationService
{
    private static readonly TargetRunStatus[] Failed = [TargetRunStatus.Failure, TargetRunStatus.Timeout, TargetRunStatus.Invalid];

    /// <summary>
    /// An invocation ended. When it is the latest attempt of its operation's current occurrence, its failed devices get
    /// another attempt after the policy's delay, or the occurrence ends. Safe to call again for the same invocation.
    /// </summary>
    /// <returns>The operation and occurrence that just ended when someone is to be notified of it; else null.</returns>
    public Task<(long OperationId, int Occurrence)?> RunEndedAsync(long invocationId, CancellationToken ct = default) => RunEndedAsync(invocationId, null, ct);

    private async Task<(long OperationId, int Occurrence)?> RunEndedAsync(long invocationId, WaitingJobs? waiting, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.OperationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.InvocationId == invocationId, ct);
        if (run is null) return null;
        using var held = await locks.EnterAsync(LockKey(run.OperationId), ct);
        var endedAt = await db.Invocations.Where(i => i.Id == invocationId && i.State == InvocationState.Stopped).Select(i => i.EndedAt).FirstOrDefaultAsync(ct);
        if (endedAt is null) return null;
        var operation = await db.HeadlessOperations.FindAsync([run.OperationId], ct);
        if (operation is null || operation.State != OperationState.Running || operation.Occurrences != run.Occurrence) return null;
        if (await db.OperationRuns.AnyAsync(r => r.OperationId == run.OperationId && r.Occurrence == run.Occurrence && r.Attempt > run.Attempt, ct)) return null;
        var anyFailed = await db.TargetRuns.AnyAsync(t => t.InvocationId == invocationId && Failed.Contains(t.Status), ct);
        if (anyFailed && operation.RetryPolicy.Retries(run.Attempt))
        {
            // The delay counts from the attempt's end, so a retry re-registered after a restart keeps its instant.
            if (operation.RetryDelayMinutes == 0) InBackground(() => RetryAsync(run.Id), operation.PublicId);
            else if (waiting?.Contains<HeadlessOperationJobs>(j => j.RetryAsync(run.Id)) != true)
                jobs.Schedule<HeadlessOperationJobs>(j => j.RetryAsync(run.Id), endedAt.Value.AddMinutes(operation.RetryDelayMinutes));
            return null;
        }
        operation.EndOccurrence();
        await db.SaveChangesAsync(ct);
        // Whether a device failed is judged by the notifier; here only whether anyone could be told at all.
        return operation.Notification.Wants(failed: true) ? (operation.Id, run.Occurrence) : null;
    }

    /// <summary>The next attempt for the devices that failed <paramref name="operationRunId"/>; nothing when it exists already.</summary>
    public async Task RetryAsync(long operationRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.OperationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == operationRunId, ct);
        if (run is null) return;
        using var held = await locks.EnterAsync(LockKey(run.OperationId), ct);
        var operation = await db.HeadlessOperations.FindAsync([run.OperationId], ct);
        if (operation is null || operation.State != OperationState.Running || operation.Occurrences != run.Occurrence) return;
        if (await db.OperationRuns.AnyAsync(r => r.OperationId == run.OperationId && r.Occurrence == run.Occurrence && r.Attempt > run.Attempt, ct)) return;
        var failedHosts = await db.TargetRuns.AsNoTracking().Where(t => t.InvocationId == run.InvocationId && Failed.Contains(t.Status)).Select(t => t.HostId).ToListAsync(ct);
        var devices = await db.OperationDevices.AsNoTracking().Where(d => d.OperationId == run.OperationId && failedHosts.Contains(d.HostId))
            .OrderBy(d => d.Position).ToListAsync(ct);
        if (devices.Count == 0)
        {
            operation.EndOccurrence();
            await db.SaveChangesAsync(ct);
            return;
        }
        await StartRunAsync(db, operation, run.Occurrence, run.Attempt + 1, devices, ct);
    }

    /// <summary>After a restart: occurrences whose last invocation ended while the server was away are judged now.</summary>
    private async Task<List<(long OperationId, int Occurrence)>> ResumeRunningAsync(FleetDbContext db, WaitingJobs waiting, CancellationToken ct)
    {
        var ended = new List<(long, int)>();
        var running = await db.HeadlessOperations.AsNoTracking().Where(o => o.State == OperationState.Running).Select(o => o.Id).ToListAsync(ct);
        foreach (var operationId in running)
        {
            var latest = await db.OperationRuns.AsNoTracking().Where(r => r.OperationId == operationId)
                .OrderByDescending(r => r.Occurrence).ThenByDescending(r => r.Attempt).FirstOrDefaultAsync(ct);
            if (latest is not null && await RunEndedAsync(latest.InvocationId, waiting, ct) is { } occurrence) ended.Add(occurrence);
        }
        return ended;
    }

    /// <summary>
    /// Each operation's latest ended occurrence that asks for a notification and has no delivery recorded: the server
    /// stopped between ending it and telling anyone. The notifier decides whether its outcome is one to tell.
    /// </summary>
    private static async Task<List<(long OperationId, int Occurrence)>> UnnotifiedAsync(FleetDbContext db, CancellationToken ct)
    {
        var candidates = await db.HeadlessOperations.AsNoTracking()
            .Where(o => o.Occurrences > 0 && (o.WebhookUrl != null || o.Email != null))
            .Select(o => new { o.Id, Latest = o.State == OperationState.Running ? o.Occurrences - 1 : o.Occurrences })
            .Where(o => o.Latest > 0)
            .Where(o => !db.NotificationDeliveries.Any(d => d.OperationId == o.Id && d.Occurrence == o.Latest))
            .ToListAsync(ct);
        return candidates.Select(o => (o.Id, o.Latest)).ToList();
    }
}

/// <summary>Follows the engine's event stream for invocations that headless operations started, to retry, end and notify them.</summary>
public sealed class OperationRunWatcher(IFleetEvents events, HeadlessOperationService operations, Notifications.OperationNotifier notifier,
    ILogger<OperationRunWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var batch in events.SubscribeAsync(stoppingToken))
        {
            foreach (var invocationId in batch.Where(e => e.Kind == FleetEventKind.InvocationChanged && e.InvocationId is not null).Select(e => e.InvocationId!.Value).Distinct())
            {
                try
                {
                    // Notified beside the loop: a slow webhook and its retries must not hold up the next operation.
                    if (await operations.RunEndedAsync(invocationId, stoppingToken) is { } ended)
                        _ = Task.Run(() => NotifyAsync(ended.OperationId, ended.Occurrence, stoppingToken), stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogError(error, "Could not follow up invocation {Invocation} of a headless operation", invocationId);
                }
            }
        }
    }

    private async Task NotifyAsync(long operationId, int occurrence, CancellationToken ct)
    {
        try
        {
            await notifier.NotifyAsync(operationId, occurrence, ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "Could not notify about headless operation {Operation}", operationId);
        }
    }
}
