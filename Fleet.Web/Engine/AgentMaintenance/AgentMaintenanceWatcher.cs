namespace Fleet.Web.Engine.AgentMaintenance;

/// <summary>
/// Moves agent maintenance tasks on: settles at start-up what finished while the server was down, then follows the event
/// stream (target runs of their jobs; hosts coming online for installs) and, every minute, installs whose ticket may have expired.
/// </summary>
public sealed class AgentMaintenanceWatcher(IFleetEvents events, AgentMaintenanceService maintenance, IClusterLock cluster, ILogger<AgentMaintenanceWatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan TicketSweep = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await GuardAsync(() => cluster.TryRunAsync("agent-maintenance-reconcile", maintenance.ReconcileAsync, stoppingToken), "reconcile agent maintenance tasks");
        var sweep = SweepAsync(stoppingToken);
        await foreach (var batch in events.SubscribeAsync(stoppingToken))
        {
            var jobs = batch.Where(e => e.Kind is FleetEventKind.TargetRunChanged or FleetEventKind.InvocationChanged && e.InvocationId is not null)
                .Select(e => e.InvocationId!.Value).Distinct();
            foreach (var job in jobs) await GuardAsync(() => maintenance.FollowEngineInvocationAsync(job, stoppingToken), $"follow job {job}");
            if (batch.Any(e => e.Kind is FleetEventKind.HostOnline or FleetEventKind.HostApproved or FleetEventKind.HostEnrolled))
                await GuardAsync(() => maintenance.FollowOpenInstallsAsync(stoppingToken), "follow open installs");
        }
        await sweep;
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TicketSweep);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                await GuardAsync(() => cluster.TryRunAsync("agent-maintenance-sweep", maintenance.FollowOpenInstallsAsync, ct), "sweep open installs");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task GuardAsync(Func<Task> work, string what)
    {
        try
        {
            await work();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "Could not {What}", what);
        }
    }
}
