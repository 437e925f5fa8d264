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
    public async Task<(long OperationId, int Occurrence)?> RunEndedAsync(long invocationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.OperationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.InvocationId == invocationId, ct);
        if (run is null || !await db.Invocations.AnyAsync(i => i.Id == invocationId && i.State == InvocationState.Stopped, ct)) return null;
        var operation = await db.HeadlessOperations.FindAsync([run.OperationId], ct);
        if (operation is null || operation.State != OperationState.Running || operation.Occurrences != run.Occurrence) return null;
        if (await db.OperationRuns.AnyAsync(r => r.OperationId == run.OperationId && r.Occurrence == run.Occurrence && r.Attempt > run.Attempt, ct)) return null;
        var anyFailed = await db.TargetRuns.AnyAsync(t => t.InvocationId == invocationId && Failed.Contains(t.Status), ct);
        if (anyFailed && operation.RetryPolicy.Retries(run.Attempt))
        {
            if (operation.RetryDelayMinutes == 0) InBackground(() => RetryAsync(run.Id), operation.PublicId);
            else jobs.Schedule<HeadlessOperationJobs>(j => j.RetryAsync(run.Id), TimeSpan.FromMinutes(operation.RetryDelayMinutes));
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
    private async Task ResumeRunningAsync(FleetDbContext db, CancellationToken ct)
    {
        var running = await db.HeadlessOperations.AsNoTracking().Where(o => o.State == OperationState.Running).Select(o => o.Id).ToListAsync(ct);
        foreach (var operationId in running)
        {
            var latest = await db.OperationRuns.AsNoTracking().Where(r => r.OperationId == operationId)
                .OrderByDescending(r => r.Occurrence).ThenByDescending(r => r.Attempt).FirstOrDefaultAsync(ct);
            if (latest is not null) await RunEndedAsync(latest.InvocationId, ct);
        }
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
