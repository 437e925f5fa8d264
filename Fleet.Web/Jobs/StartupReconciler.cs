using Fleet.Domain.Hosts;
using Fleet.Web.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Jobs;

/// <summary>
/// Hangfire's in-memory storage starts empty, and no agent connection survives a restart: at start-up
/// this rebuilds what the database says should exist — recurring jobs under stable ids, and every host
/// offline until its agent reconnects, except hosts another live cluster instance holds.
/// </summary>
public sealed class StartupReconciler(
    IDbContextFactory<FleetDbContext> dbFactory,
    Engine.Execution.InvocationService invocations,
    Engine.Orchestration.RebootOrchestrator orchestrations,
    Engine.IAgentPresence presence,
    IRecurringJobManager recurringJobs,
    Engine.IClusterLock cluster,
    TimeProvider clock,
    ILogger<StartupReconciler> logger) : IHostedService
{
    // Once across the cluster: instances starting together leave it to the first; the others find its work done.
    public Task StartAsync(CancellationToken cancellationToken) => cluster.TryRunAsync("startup-reconciler", ReconcileAsync, cancellationToken);

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var stale = (await db.Hosts.Where(h => h.Connectivity == HostConnectivity.Online).ToListAsync(cancellationToken))
                .Where(h => !presence.IsConnected(h.Id)).ToList();
            // The agent-lost clock of these hosts starts now: the server, not the agent, was away until now.
            var now = clock.GetUtcNow();
            foreach (var host in stale) host.MarkOffline(now);
            await db.SaveChangesAsync(cancellationToken);
            if (stale.Count > 0) logger.LogInformation("Marked {Count} hosts offline until their agents reconnect", stale.Count);
        }

        await EnsureBuiltInTemplatesAsync(cancellationToken);
        await invocations.ReconcileScheduleAsync(cancellationToken);
        await orchestrations.ResumeAsync(cancellationToken);
        recurringJobs.AddOrUpdate<HostSweepJob>(HostSweepJob.RecurringId, job => job.RunAsync(), Cron.Minutely());
        recurringJobs.AddOrUpdate<TargetRunTimeoutJob>(TargetRunTimeoutJob.RecurringId, job => job.RunAsync(), Cron.Minutely());
        recurringJobs.AddOrUpdate<AuditRetentionJob>(AuditRetentionJob.RecurringId, job => job.RunAsync(), Cron.Daily());
        recurringJobs.AddOrUpdate<InventoryRefreshJob>(InventoryRefreshJob.RecurringId, job => job.RunAsync(), "*/15 * * * *");
        recurringJobs.AddOrUpdate<FleetSampleJob>(FleetSampleJob.RecurringId, job => job.RunAsync(), "*/10 * * * *");
    }

    private async Task EnsureBuiltInTemplatesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.JobTemplates.Select(t => t.Name).ToListAsync(ct);
        db.JobTemplates.AddRange(Engine.Execution.BuiltInTemplates.All().Where(t => !existing.Contains(t.Name)));
        await db.SaveChangesAsync(ct);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
