using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine.Execution;

/// <summary>
/// A host offline for <c>Fleet:Agents:LostAfterSeconds</c> has lost its agent: what it was running will not report back, so
/// its running target runs fail with "agent lost" instead of waiting for the execution timeout (an hour by default). The
/// command ends as failure through its own state machine; a result the agent sends later is still kept as a late result.
/// </summary>
public sealed class LostAgentSweep(
    DbWriteBatcher writer,
    IAgentPresence presence,
    IFleetEvents events,
    IInvocationKicker engine,
    IOptionsMonitor<AgentOptions> options,
    IClusterLock cluster,
    TimeProvider clock,
    ILogger<LostAgentSweep> logger) : BackgroundService
{
    public const string Reason = "agent lost";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A quarter of the allowance, at most 5 s: the run fails well within LostAfterSeconds + a few seconds.
        var period = TimeSpan.FromSeconds(Math.Clamp(options.CurrentValue.LostAfterSeconds / 4.0, 0.5, 5));
        using var timer = new PeriodicTimer(period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // Once across the cluster: an instance that finds another sweeping skips this tick.
                    await cluster.TryRunAsync("lost-agent-sweep", RunAsync, stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "The lost-agent sweep failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <returns>How many target runs were failed. Safe to run twice: only open commands of lost hosts are touched.</returns>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var after = TimeSpan.FromSeconds(Math.Max(1, options.CurrentValue.LostAfterSeconds));
        var reason = $"{Reason}: the host was offline for more than {after.TotalSeconds:0} s while this ran.";
        var failed = 0;
        var touched = new HashSet<long>();
        await writer.WriteAsync(async db =>
        {
            failed = 0;
            touched.Clear();
            var open = await db.Commands.Where(c => c.Status == CommandStatus.Initiated || c.Status == CommandStatus.Acknowledged ||
                                                    c.Status == CommandStatus.InProgress).ToListAsync(ct);
            if (open.Count == 0) return;
            var hostIds = open.Select(c => c.HostId).Distinct().Where(id => !presence.IsConnected(id)).ToList();
            var lost = (await db.Hosts.Where(h => hostIds.Contains(h.Id)).ToListAsync(ct))
                .Where(h => h.IsLost(now, after)).Select(h => h.Id).ToHashSet();
            if (lost.Count == 0) return;
            var commands = open.Where(c => lost.Contains(c.HostId)).ToList();
            var runIds = commands.Select(c => c.TargetRunId).ToList();
            var runs = await db.TargetRuns.Where(r => runIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
            foreach (var command in commands)
            {
                if (!command.Finish(CommandStatus.Failure, null, reason, now) || !runs.TryGetValue(command.TargetRunId, out var run)) continue;
                run.FollowCommand(command.Status, now, reason);
                touched.Add(run.InvocationId);
                failed++;
            }
        });
        foreach (var id in touched)
        {
            events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, now, id));
            engine.Kick(id);
        }
        if (failed > 0) logger.LogWarning("Failed {Count} target runs of hosts offline for more than {Seconds} s (agent lost)", failed, after.TotalSeconds);
        return failed;
    }
}
