using System.Collections.Concurrent;
using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Orchestration;
using Fleet.Web.Data;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine.Orchestration;

/// <summary>
/// Drives orchestrated reboots forward. Each step reads the orchestration and the jobs it created from the
/// database, decides the next move, and saves it before acting again, so after a restart the start-up
/// reconciler only has to hand back the unfinished ids (<see cref="ResumeAsync"/>). Every stop, reboot and
/// start is an ordinary invocation on the engine, visible as target runs and commands like any other work.
/// </summary>
public sealed class RebootOrchestrator(
    IDbContextFactory<FleetDbContext> dbFactory,
    InvocationService invocations,
    IAgentPresence presence,
    IFleetEvents events,
    IOptionsMonitor<OrchestrationOptions> options,
    TimeProvider clock,
    ILogger<RebootOrchestrator> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, byte> _active = new();

    public void Track(Guid orchestrationId) => _active.TryAdd(orchestrationId, 0);

    /// <summary>Takes up every orchestration the database says is unfinished (after a restart).</summary>
    public async Task ResumeAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var unfinished = await db.RebootOrchestrations.AsNoTracking()
            .Where(RebootOrchestration.Unfinished)
            .Select(o => o.Id).ToListAsync(ct);
        foreach (var id in unfinished) Track(id);
        if (unfinished.Count > 0) logger.LogInformation("Resuming {Count} orchestrated reboots", unfinished.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(20, options.CurrentValue.PollMilliseconds)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var id in _active.Keys)
                {
                    try
                    {
                        if (await AdvanceAsync(id, stoppingToken)) _active.TryRemove(id, out _);
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        logger.LogWarning(error, "Orchestrated reboot {OrchestrationId}: the step failed; trying again", id);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Moves one orchestration as far as it can go now. Returns true once it has ended (or no longer exists).</summary>
    public async Task<bool> AdvanceAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orchestration = await db.RebootOrchestrations.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (orchestration is null) return true;
        var before = Fingerprint(orchestration);
        try
        {
            switch (orchestration.Status)
            {
                case OrchestrationStatus.ShuttingDown:
                    await ShutDownChildrenAsync(db, orchestration, ct);
                    break;
                case OrchestrationStatus.Rebooting:
                    await IssueRebootAsync(db, orchestration, ct);
                    break;
                case OrchestrationStatus.WaitingForAgent:
                    await WaitForAgentAsync(db, orchestration, ct);
                    break;
                case OrchestrationStatus.Restarting:
                    await RestartChildrenAsync(db, orchestration, ct);
                    break;
            }
        }
        catch (DomainException refused)
        {
            // The engine refused a step (host removed or no longer approved): nothing later can succeed.
            if (!orchestration.IsFinal) orchestration.Fail(refused.Message, clock.GetUtcNow());
        }
        await SaveAsync(db, orchestration, before, ct);
        return orchestration.IsFinal;
    }

    private async Task ShutDownChildrenAsync(FleetDbContext db, RebootOrchestration orchestration, CancellationToken ct)
    {
        await StepChildrenAsync(db, orchestration, ChildStep.Stop, ct);
        var now = clock.GetUtcNow();
        if (orchestration.Children.All(c => c.StopDone) || now >= orchestration.ShutdownDeadline)
        {
            orchestration.CompleteShutdown(now);
            await db.SaveChangesAsync(ct);
            await IssueRebootAsync(db, orchestration, ct);
        }
    }

    private async Task IssueRebootAsync(FleetDbContext db, RebootOrchestration orchestration, CancellationToken ct)
    {
        // The job is named after the orchestration, so a restart between creating it and saving its id finds it
        // instead of rebooting the host a second time.
        var description = $"Orchestrated reboot {orchestration.Id}";
        var invocationId = await db.Invocations.AsNoTracking()
            .Where(i => i.Origin == InvocationOrigin.Orchestration && i.CommandKind == CommandKind.Reboot && i.Description == description)
            .Select(i => (long?)i.Id).FirstOrDefaultAsync(ct);
        if (invocationId is null)
        {
            var spec = PowerActions.Power(CommandKind.Reboot, orchestration.ParentHostId, 0,
                "Orchestrated reboot: child hosts were stopped and will be started again.", force: false, InvocationOrigin.Orchestration) with { Description = description };
            invocationId = await invocations.CreateAsync(spec, orchestration.InitiatedBy, null, ct);
        }
        orchestration.RebootIssued(invocationId.Value, clock.GetUtcNow(), presence.BootIdOf(orchestration.ParentHostId));
    }

    private async Task WaitForAgentAsync(FleetDbContext db, RebootOrchestration orchestration, CancellationToken ct)
    {
        var step = await OutcomeAsync(db, orchestration.RebootInvocationId!.Value, ct);
        var now = clock.GetUtcNow();
        // The agent reported the reboot as started on the connection it had before going down; any connection
        // accepted after that moment belongs to the agent that came back. Checked first: a reboot command that
        // "fails" because the machine went down under it (the agent restarted mid-command) is a reboot that worked.
        var rebootStartedAt = step.Command?.StartedAt ?? (step.Succeeded ? step.Command?.FinishedAt : null);
        var reconnected = rebootStartedAt is { } started && presence.ConnectedSince(orchestration.ParentHostId) is { } since && since > started;
        // A connection drop while the machine is still going down reconnects with the same boot id: not back yet.
        var sameBoot = orchestration.BootIdBeforeReboot is { } before && presence.BootIdOf(orchestration.ParentHostId) == before;
        if (reconnected && !sameBoot)
        {
            orchestration.AgentReconnected(now);
            await db.SaveChangesAsync(ct);
            await RestartChildrenAsync(db, orchestration, ct);
            return;
        }
        if (step.Done && !step.Succeeded && presence.ConnectedSince(orchestration.ParentHostId) is { } current &&
            (rebootStartedAt is null || current <= rebootStartedAt))
        {
            // The reboot failed on a connection that is still up (refused by the host, or never taken): the machine did
            // not go down and its children are stopped, so bring them back.
            orchestration.RebootFailed($"The reboot command failed: {step.Error}; the child hosts were started again.", now);
            await db.SaveChangesAsync(ct);
            await RestartChildrenAsync(db, orchestration, ct);
            return;
        }
        if (now > orchestration.ReconnectDeadline)
        {
            var hostname = await db.Hosts.Where(h => h.Id == orchestration.ParentHostId).Select(h => h.Hostname).FirstOrDefaultAsync(ct);
            orchestration.Fail(reconnected
                ? $"The agent of host '{hostname}' reconnected but the host did not restart (same boot id) within {orchestration.ReconnectTimeoutSeconds} s of the reboot; its child hosts were not started again."
                : $"The agent of host '{hostname}' did not reconnect within {orchestration.ReconnectTimeoutSeconds} s of the reboot; its child hosts were not started again.", now);
        }
    }

    private async Task RestartChildrenAsync(FleetDbContext db, RebootOrchestration orchestration, CancellationToken ct)
    {
        await StepChildrenAsync(db, orchestration, ChildStep.Start, ct);
        if (orchestration.Children.All(c => c.RestartDone)) orchestration.Complete(clock.GetUtcNow());
    }

    /// <summary>How stopping and starting children differ; everything else about the two phases is the same.</summary>
    private sealed record ChildStep(
        bool Stopping,
        Func<OrchestrationChild, long?> InvocationId,
        Func<OrchestrationChild, bool> Done,
        Action<RebootOrchestration, Guid, long> Requested,
        Action<RebootOrchestration, Guid, bool, string?> Ended)
    {
        public static readonly ChildStep Stop = new(true, c => c.StopInvocationId, c => c.StopDone,
            (o, child, invocation) => o.ChildStopRequested(child, invocation), (o, child, ok, error) => o.ChildStopEnded(child, ok, error));

        public static readonly ChildStep Start = new(false, c => c.StartInvocationId, c => c.RestartDone,
            (o, child, invocation) => o.ChildStartRequested(child, invocation), (o, child, ok, error) => o.ChildStartEnded(child, ok, error));
    }

    /// <summary>Asks for the step on every child not yet asked (saving each, so a restart never asks twice), then records the steps that ended.</summary>
    private async Task StepChildrenAsync(FleetDbContext db, RebootOrchestration orchestration, ChildStep step, CancellationToken ct)
    {
        foreach (var child in orchestration.Children.Where(c => step.InvocationId(c) is null).ToList())
        {
            var invocationId = await invocations.CreateAsync(
                PowerActions.Child(step.Stopping, orchestration.ParentHostId, child.Name, child.Type, orchestration.ShutdownTimeoutSeconds), orchestration.InitiatedBy, null, ct);
            step.Requested(orchestration, child.ChildId, invocationId);
            await db.SaveChangesAsync(ct);
        }
        foreach (var child in orchestration.Children.Where(c => !step.Done(c) && step.InvocationId(c) is not null))
        {
            var outcome = await OutcomeAsync(db, step.InvocationId(child)!.Value, ct);
            if (outcome.Done) step.Ended(orchestration, child.ChildId, outcome.Succeeded, outcome.Error);
        }
    }

    private sealed record StepOutcome(bool Done, bool Succeeded, string? Error, Command? Command);

    /// <summary>How the one target run of a step's invocation ended (or that it has not yet).</summary>
    private static async Task<StepOutcome> OutcomeAsync(FleetDbContext db, long invocationId, CancellationToken ct)
    {
        var run = await db.TargetRuns.AsNoTracking().FirstOrDefaultAsync(r => r.InvocationId == invocationId, ct);
        if (run is null) return new StepOutcome(true, false, "The step's job has no target (the host is no longer approved).", null);
        var command = run.CommandId is { } commandId ? await db.Commands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commandId, ct) : null;
        if (!run.IsFinal) return new StepOutcome(false, false, null, command);
        var succeeded = run.Status == TargetRunStatus.Success;
        return new StepOutcome(true, succeeded, succeeded ? null : command?.Error ?? run.Reason ?? $"The job ended as {run.Status.Wire()}.", command);
    }

    private async Task SaveAsync(FleetDbContext db, RebootOrchestration orchestration, string before, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        if (Fingerprint(orchestration) == before) return;
        if (orchestration.IsFinal)
            logger.LogInformation("Orchestrated reboot {OrchestrationId} ended as {Status}{Error}", orchestration.Id, orchestration.Status.Wire(),
                orchestration.ErrorMessage is { } e ? ": " + e : "");
        events.Publish(new FleetEvent(FleetEventKind.OrchestrationChanged, orchestration.ParentHostId, clock.GetUtcNow(), OrchestrationId: orchestration.Id));
    }

    private static string Fingerprint(RebootOrchestration o) =>
        $"{o.Status}|{o.RebootInvocationId}|{string.Join(",", o.Children.Select(c => $"{c.StopStatus}/{c.RestartStatus}"))}";
}
