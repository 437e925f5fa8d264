using Fleet.Domain;
using Fleet.Domain.Hosts;
using Fleet.Domain.Orchestration;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine.Orchestration;

/// <inheritdoc cref="IRebootOrchestrations"/>
public sealed class RebootOrchestrationService(
    IDbContextFactory<FleetDbContext> dbFactory,
    RebootOrchestrator orchestrator,
    IAgentPresence presence,
    IOptionsMonitor<OrchestrationOptions> options,
    IOptionsMonitor<LicenseOptions> licence,
    IFleetEvents events,
    TimeProvider clock,
    ILogger<RebootOrchestrationService> logger) : IRebootOrchestrations
{
    private readonly SemaphoreSlim _starting = new(1, 1);

    public LicenseTier Tier => licence.CurrentValue.EffectiveTier(logger);

    // The machine Fleet itself runs on: rebooting it takes the dashboard and every agent connection down with it.
    private static readonly Lazy<string?> ServerMachineId = new(Fleet.Agent.MachineIdentity.System);

    public async Task<RebootPreCheck> PreCheckAsync(Guid hostId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct) ?? throw new HostNotFoundException(hostId);
        var children = (await db.ChildHosts.AsNoTracking().Where(c => c.ParentHostId == hostId).ToListAsync(ct))
            .OrderBy(c => c.Type).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new ChildHostView(c.Id, c.Name, c.Type, c.Status, c.UpdatedAt)).ToList();
        var running = children.Where(c => c.Status == ChildHost.Running).ToList();
        var active = IsActive(host);
        var tier = Tier;
        var inProgress = await Unfinished(db, hostId).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        var blocked = !tier.AllowsOrchestratedReboot() ? $"Orchestrated reboot needs a Professional or Enterprise licence; this installation is {tier}."
            : !active ? "The host is not active: its agent is not connected."
            : running.Count == 0 ? "The host has no running child hosts."
            : inProgress is not null ? "An orchestrated reboot of this host is already in progress."
            : null;
        return new RebootPreCheck(host.Id, host.Hostname, active, children, running, host.HasContainerEngine, tier, blocked, inProgress,
            IsFleetServer: host.MachineId == ServerMachineId.Value);
    }

    public async Task<OrchestrationView> StartAsync(Guid hostId, string initiatedBy, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        RebootOrchestration orchestration;
        // The "already in progress" check and the insert must not interleave, or two clicks reboot the host twice.
        await _starting.WaitAsync(ct);
        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct) ?? throw new HostNotFoundException(hostId);
                var tier = Tier;
                if (!tier.AllowsOrchestratedReboot())
                    throw new LicenseRequiredException($"Orchestrated reboot requires a Professional or Enterprise license; this installation is licensed as {tier}.");
                if (!IsActive(host)) throw new DomainException($"Host '{host.Hostname}' is not active: its agent is not connected.");
                var running = await db.ChildHosts.AsNoTracking().Where(c => c.ParentHostId == hostId && c.Status == ChildHost.Running).ToListAsync(ct);
                if (running.Count == 0) throw new DomainException($"No running child hosts found on host '{host.Hostname}'.");
                if (await Unfinished(db, hostId).AnyAsync(ct))
                    throw new DomainException($"An orchestrated reboot of host '{host.Hostname}' is already in progress.");
                var settings = options.CurrentValue;
                orchestration = new RebootOrchestration(Guid.NewGuid(), hostId,
                    running.OrderBy(c => c.Type).ThenBy(c => c.Name, StringComparer.Ordinal).Select(c => new OrchestrationChild(c.Id, c.Name, c.Type, c.Status)),
                    settings.ShutdownTimeoutSeconds, settings.ReconnectTimeoutSeconds, initiatedBy, now);
                db.RebootOrchestrations.Add(orchestration);
                await db.SaveChangesAsync(ct);
                logger.LogInformation("{User} started orchestrated reboot {OrchestrationId} of {Hostname} with {Count} running children",
                    initiatedBy, orchestration.Id, host.Hostname, running.Count);
                events.Publish(new FleetEvent(FleetEventKind.OrchestrationChanged, hostId, now, OrchestrationId: orchestration.Id));
                orchestrator.Track(orchestration.Id);
                return ToView(orchestration, host.Hostname);
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>The host's orchestrated reboot under way, if any: while it runs, no other reboot may start.</summary>
    internal static IQueryable<RebootOrchestration> Unfinished(FleetDbContext db, Guid hostId) =>
        db.RebootOrchestrations.Where(o => o.ParentHostId == hostId).Where(RebootOrchestration.Unfinished);

    public async Task<OrchestrationView?> GetAsync(Guid hostId, Guid orchestrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orchestration = await db.RebootOrchestrations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orchestrationId && o.ParentHostId == hostId, ct);
        if (orchestration is null) return null;
        var hostname = await db.Hosts.Where(h => h.Id == hostId).Select(h => h.Hostname).FirstOrDefaultAsync(ct) ?? "";
        return ToView(orchestration, hostname);
    }

    private bool IsActive(ManagedHost host) => host.Approval == HostApproval.Approved && presence.IsConnected(host.Id);

    public static OrchestrationView ToView(RebootOrchestration o, string hostname) => new(
        o.Id, o.ParentHostId, hostname, o.Status,
        o.Children.OrderBy(c => c.Type).ThenBy(c => c.Name, StringComparer.Ordinal).Select(c => new OrchestrationChildView(c.ChildId, c.Name, c.Type, c.PreRebootStatus, c.StopStatus, c.RestartStatus, c.Error)).ToList(),
        o.ShutdownTimeoutSeconds, o.InitiatedBy, o.InitiatedAt, o.ShutdownCompletedAt, o.RebootIssuedAt, o.AgentReconnectedAt, o.RestartCompletedAt,
        o.FailedAt, o.ErrorMessage, o.RebootInvocationId);
}
