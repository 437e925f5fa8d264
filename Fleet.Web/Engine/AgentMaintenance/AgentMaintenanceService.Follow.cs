using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Web.Audit;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.AgentMaintenance;

/// <summary>
/// The status projection: each agent invocation follows its target run (and, for installs, the enrolment of the new
/// agent). It reads the stored state, never an event's payload, so following twice or after a restart is harmless.
/// </summary>
public sealed partial class AgentMaintenanceService
{
    // One projection at a time: the watcher and a batch create may follow the same invocation at once.
    private readonly SemaphoreSlim _following = new(1, 1);

    /// <summary>The agent invocations running as <paramref name="engineInvocationId"/> catch up with its target runs.</summary>
    public async Task FollowEngineInvocationAsync(long engineInvocationId, CancellationToken ct = default)
    {
        List<string> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            ids = await Open(db).Where(a => a.EngineInvocationId == engineInvocationId).Select(a => a.Id).ToListAsync(ct);
        foreach (var id in ids) await FollowAsync(id, ct);
    }

    /// <summary>Unfinished installs look again for their new agent (a host came online, was approved, or a ticket expired).</summary>
    public async Task FollowOpenInstallsAsync(CancellationToken ct = default)
    {
        List<string> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            ids = await Open(db).Where(a => a.Type == AgentInvocationType.Install || a.Type == AgentInvocationType.RemoteInstall)
                .Select(a => a.Id).ToListAsync(ct);
        foreach (var id in ids) await FollowAsync(id, ct);
    }

    /// <summary>At start-up: invocations whose runs finished (or whose agents enrolled) while the server was down are settled.</summary>
    public async Task ReconcileAsync(CancellationToken ct = default)
    {
        List<string> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            ids = await Open(db).Select(a => a.Id).ToListAsync(ct);
        foreach (var id in ids) await FollowAsync(id, ct);
        if (ids.Count > 0) logger.LogInformation("Reconciled {Count} unfinished agent maintenance tasks", ids.Count);
    }

    private static IQueryable<AgentInvocation> Open(FleetDbContext db) =>
        db.AgentInvocations.AsNoTracking().Where(a => a.Status == AgentInvocationStatus.Waiting || a.Status == AgentInvocationStatus.Running);

    private async Task FollowAsync(string agentInvocationId, CancellationToken ct)
    {
        await _following.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var invocation = await db.AgentInvocations.FirstOrDefaultAsync(a => a.Id == agentInvocationId, ct);
            if (invocation is null || invocation.IsFinal || invocation.TargetRunId is not { } runId) return;
            var run = await db.TargetRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
            if (run is null) return;
            var command = run.CommandId is { } commandId ? await db.Commands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commandId, ct) : null;
            var before = invocation.Status;
            var now = Now;
            var ticket = invocation.Type.IsInstall() ? await db.InstallTickets.FirstOrDefaultAsync(t => t.AgentInvocationId == invocation.Id, ct) : null;
            var machine = invocation.InstanceKind == InstanceKind.Remote && Guid.TryParse(invocation.InstanceId, out var machineId)
                ? await db.RemoteMachines.FirstOrDefaultAsync(m => m.Id == machineId, ct) : null;
            if (ticket?.UsedByHostId is { } enrolled && invocation.EnrolledHostId is null)
            {
                invocation.RecordEnrolment(enrolled, now);
                machine?.RecordEnrolment(enrolled);
            }

            AgentInvocation? rolledBack = null;
            switch (run.Status)
            {
                case TargetRunStatus.Dispatched or TargetRunStatus.Running or TargetRunStatus.Complete:
                    if (invocation.Status == AgentInvocationStatus.Waiting) invocation.Start(now);
                    break;
                case TargetRunStatus.Success:
                    var newAgent = await NewAgentAsync(db, invocation, ct);
                    if (!invocation.RunSucceeded)
                        invocation.RecordRunSucceeded(now, newAgent?.AgentVersion is { Length: > 0 } version ? version : null, newAgent is not null);
                    else if (newAgent is not null)
                        invocation.CompleteInstall(now, newAgent.AgentVersion);
                    if (invocation.Status == AgentInvocationStatus.Succeeded && invocation.Type == AgentInvocationType.Rollback &&
                        await db.AgentInvocations.FirstOrDefaultAsync(a => a.Id == invocation.RollbackOf, ct) is { } original &&
                        original.Status is AgentInvocationStatus.Succeeded or AgentInvocationStatus.Failed)
                    {
                        original.MarkRolledBack(invocation.Id, now);
                        rolledBack = original;
                    }
                    break;
                case TargetRunStatus.Failure:
                    var error = command?.Error ?? run.Reason ?? "The command failed.";
                    if (command?.Status == CommandStatus.Timeout) invocation.TimeOut(now, InstanceErrors.TimedOut(error));
                    else if (command?.Status == CommandStatus.Cancelled) invocation.Fail(now, InstanceErrors.Cancelled(error));
                    else invocation.Fail(now, InstanceErrors.CommandFailed(command?.ExitCode is { } code && command.Error is null ? $"exit code {code}" : error));
                    break;
                case TargetRunStatus.Timeout:
                    invocation.TimeOut(now, InstanceErrors.TimedOut(run.Reason ?? "The step did not complete in time."));
                    break;
                case TargetRunStatus.Cancelled:
                    invocation.Fail(now, InstanceErrors.Cancelled(run.Reason ?? "Cancelled."));
                    break;
                case TargetRunStatus.Invalid:
                    invocation.Fail(now, InstanceErrors.CommandFailed(run.Reason ?? "The step was invalid."));
                    break;
            }
            // The install ran but no agent came with its ticket while the ticket was valid: it never will.
            if (!invocation.IsFinal && invocation.RunSucceeded && invocation.EnrolledHostId is null && ticket is not null && !ticket.IsUsable(now))
                invocation.TimeOut(now, InstanceErrors.NeverEnrolled);

            if (invocation.IsFinal)
            {
                ticket?.Void(now);
                await ForgetCredentialsAsync(db, invocation, machine, now, ct);
            }
            await db.SaveChangesAsync(ct);
            if (invocation.Status != before)
            {
                await RecordAsync("fleet", AuditActorKinds.System, $"agent invocation {invocation.Status.Word()}", Describe(invocation),
                    invocation.ErrorMessage is { } message ? AuditOutcomes.Error($"{invocation.ErrorCode} {message}") : AuditOutcomes.Success);
            }
            if (rolledBack is not null)
                await RecordAsync("fleet", AuditActorKinds.System, "agent invocation ROLLBACKED", Describe(rolledBack), AuditOutcomes.Success);
        }
        finally
        {
            _following.Release();
        }
    }

    /// <summary>For an install: the enrolled host once its agent is connected and accepted (approved); null until then, or for other types.</summary>
    private async Task<ManagedHost?> NewAgentAsync(FleetDbContext db, AgentInvocation invocation, CancellationToken ct)
    {
        if (!invocation.Type.IsInstall() || invocation.EnrolledHostId is not { } hostId || !presence.IsConnected(hostId)) return null;
        return await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId && h.Approval == HostApproval.Approved, ct);
    }

    /// <summary>
    /// A remote install's credential lives sealed on the registered machine and in the engine job's sealed order: both go
    /// once the task has ended, whatever its outcome. A child install's sealed order holds only the (now void) ticket.
    /// </summary>
    private static async Task ForgetCredentialsAsync(FleetDbContext db, AgentInvocation invocation, RemoteMachine? machine, DateTimeOffset now, CancellationToken ct)
    {
        if (!invocation.Type.IsInstall()) return;
        machine?.EraseCredential(now);
        if (invocation.EngineInvocationId is not { } engineInvocationId) return;
        if (await db.Invocations.FirstOrDefaultAsync(i => i.Id == engineInvocationId, ct) is { } engineInvocation) engineInvocation.ForgetSealedScript();
        var runIds = await db.TargetRuns.Where(r => r.InvocationId == engineInvocationId).Select(r => r.Id).ToListAsync(ct);
        foreach (var command in await db.Commands.Where(c => runIds.Contains(c.TargetRunId)).ToListAsync(ct)) command.ForgetSealedScript();
    }
}
