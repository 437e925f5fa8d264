using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Domain.Orchestration;
using Fleet.Web.Data;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine.Orchestration;

/// <inheritdoc cref="IRebootOrchestrations"/>
public sealed class RebootOrchestrationService(
    IDbContextFactory<FleetDbContext> dbFactory,
    InvocationService invocations,
    RebootOrchestrator orchestrator,
    AgentRegistry registry,
    IOptionsMonitor<OrchestrationOptions> options,
    IConfiguration configuration,
    IFleetEvents events,
    TimeProvider clock,
    ILogger<RebootOrchestrationService> logger) : IRebootOrchestrations
{
    private readonly SemaphoreSlim _starting = new(1, 1);

    /// <summary>Professional unless configured otherwise, so the product works out of the box; an unreadable value counts as Community.</summary>
    public LicenseTier Tier
    {
        get
        {
            var configured = configuration["Fleet:License:Tier"];
            if (string.IsNullOrWhiteSpace(configured)) return LicenseTier.Professional;
            if (Enum.TryParse<LicenseTier>(configured.Trim(), ignoreCase: true, out var tier) && Enum.IsDefined(tier) && !char.IsDigit(configured.Trim()[0])) return tier;
            logger.LogWarning("Fleet:License:Tier '{Tier}' is not Community, Professional or Enterprise; treating it as Community", configured);
            return LicenseTier.Community;
        }
    }

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
        var inProgress = await db.RebootOrchestrations.Where(o => o.ParentHostId == hostId &&
            o.Status != OrchestrationStatus.Completed && o.Status != OrchestrationStatus.Failed).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
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
                if (await IsOrchestratingAsync(db, hostId, ct))
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

    /// <summary>True while an orchestrated reboot of the host is under way: a plain reboot then would cut it short.</summary>
    public static Task<bool> IsOrchestratingAsync(FleetDbContext db, Guid hostId, CancellationToken ct) =>
        db.RebootOrchestrations.AnyAsync(o => o.ParentHostId == hostId && o.Status != OrchestrationStatus.Completed && o.Status != OrchestrationStatus.Failed, ct);

    public async Task<OrchestrationView?> GetAsync(Guid hostId, Guid orchestrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orchestration = await db.RebootOrchestrations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orchestrationId && o.ParentHostId == hostId, ct);
        if (orchestration is null) return null;
        var hostname = await db.Hosts.Where(h => h.Id == hostId).Select(h => h.Hostname).FirstOrDefaultAsync(ct) ?? "";
        return ToView(orchestration, hostname);
    }

    public async Task<long> RebootAsync(Guid hostId, bool force, int delaySeconds, string? message, string user, CancellationToken ct = default)
    {
        if (delaySeconds is < 0 or > 86_400) throw new DomainException("delay_seconds must be between 0 and 86400.");
        if (message is { Length: > 500 }) throw new DomainException("The message may be at most 500 characters.");
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct) ?? throw new HostNotFoundException(hostId);
            if (!IsActive(host)) throw new DomainException($"Host '{host.Hostname}' is not active: its agent is not connected.");
            if (await IsOrchestratingAsync(db, hostId, ct)) throw new DomainException($"An orchestrated reboot of host '{host.Hostname}' is under way; wait for it to end.");
        }
        return await invocations.CreateAsync(PowerActions.Power(CommandKind.Reboot, hostId, delaySeconds, message, force), user, null, ct);
    }

    private bool IsActive(ManagedHost host) => host.Approval == HostApproval.Approved && registry.IsConnected(host.Id);

    public static OrchestrationView ToView(RebootOrchestration o, string hostname) => new(
        o.Id, o.ParentHostId, hostname, o.Status,
        o.Children.OrderBy(c => c.Type).ThenBy(c => c.Name, StringComparer.Ordinal).Select(c => new OrchestrationChildView(c.ChildId, c.Name, c.Type, c.PreRebootStatus, c.StopStatus, c.RestartStatus, c.Error)).ToList(),
        o.ShutdownTimeoutSeconds, o.InitiatedBy, o.InitiatedAt, o.ShutdownCompletedAt, o.RebootIssuedAt, o.AgentReconnectedAt, o.RestartCompletedAt,
        o.FailedAt, o.ErrorMessage, o.RebootInvocationId);
}
