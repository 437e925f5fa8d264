using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Web.Data;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Orchestration;

/// <param name="TargetRunId">The one target run of the power job (seed 001's execution_id).</param>
/// <param name="ScheduledAt">When the host is asked to act: now plus the order's delay.</param>
public sealed record PowerRequested(long InvocationId, Guid TargetRunId, DateTimeOffset ScheduledAt);

/// <summary>
/// Plain reboots and shutdowns, for the API and the dashboard alike. Unknown host → <see cref="HostNotFoundException"/>;
/// an order out of range, a host not approved, offline or in an orchestrated reboot → DomainException, and nothing is sent.
/// </summary>
public interface IPowerService
{
    Task<PowerRequested> RequestAsync(Guid hostId, PowerOrder order, string user, CancellationToken ct = default);
}

/// <inheritdoc cref="IPowerService"/>
public sealed class PowerService(IDbContextFactory<FleetDbContext> dbFactory, InvocationService invocations, IAgentPresence presence, TimeProvider clock)
    : IPowerService
{
    public async Task<PowerRequested> RequestAsync(Guid hostId, PowerOrder order, string user, CancellationToken ct = default)
    {
        if (order.Problem is { } problem) throw new DomainException(problem.Reason);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct) ?? throw new HostNotFoundException(hostId);
            if (host.Approval != HostApproval.Approved) throw new DomainException($"Host '{host.Hostname}' is not approved; nothing was sent.");
            // A plain reboot in the middle of an orchestrated one would cut it short and strand the stopped children.
            if (await RebootOrchestrationService.Unfinished(db, hostId).AnyAsync(ct))
                throw new DomainException($"An orchestrated reboot of host '{host.Hostname}' is under way; nothing was sent.");
            if (!presence.IsConnected(hostId)) throw new DomainException($"The agent of host '{host.Hostname}' is offline; nothing was sent.");
        }
        var now = clock.GetUtcNow();
        var kind = order.Kind == PowerKind.Reboot ? CommandKind.Reboot : CommandKind.Shutdown;
        var invocationId = await invocations.CreateAsync(PowerActions.Power(kind, hostId, order.DelaySeconds, order.Message, order.Force), user, null, ct);
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var runId = await read.TargetRuns.Where(r => r.InvocationId == invocationId).Select(r => r.Id).FirstAsync(ct);
        return new PowerRequested(invocationId, runId, now.AddSeconds(order.DelaySeconds));
    }
}
