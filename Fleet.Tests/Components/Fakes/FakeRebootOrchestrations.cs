using Fleet.Domain;
using Fleet.Domain.Orchestration;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Orchestration;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeRebootOrchestrations : IRebootOrchestrations
{
    public LicenseTier Tier { get; set; } = LicenseTier.Professional;
    public Dictionary<Guid, RebootPreCheck> PreChecks { get; } = [];
    public Dictionary<Guid, OrchestrationView> Views { get; } = [];
    public List<(Guid HostId, string User)> Started { get; } = [];

    /// <summary>Hosts the fake says do not exist.</summary>
    public HashSet<Guid> Missing { get; } = [];

    public Task<RebootPreCheck> PreCheckAsync(Guid hostId, CancellationToken ct = default) =>
        Missing.Contains(hostId) ? Task.FromException<RebootPreCheck>(new HostNotFoundException(hostId)) : Task.FromResult(PreChecks.TryGetValue(hostId, out var check)
            ? check
            : new RebootPreCheck(hostId, "host", true, [], [], false, Tier, "The host has no running child hosts."));

    public Task<OrchestrationView> StartAsync(Guid hostId, string initiatedBy, CancellationToken ct = default)
    {
        var check = PreChecks[hostId];
        if (check.OrchestrationBlockedReason is { } reason) throw new DomainException(reason);
        Started.Add((hostId, initiatedBy));
        var view = new OrchestrationView(Guid.NewGuid(), hostId, check.Hostname, OrchestrationStatus.ShuttingDown,
            check.RunningChildren.Select(c => new OrchestrationChildView(c.Id, c.Name, c.Type, c.Status, "pending", "pending", null)).ToList(),
            120, initiatedBy, DateTimeOffset.UtcNow, null, null, null, null, null, null, null);
        Views[view.Id] = view;
        return Task.FromResult(view);
    }

    public Task<OrchestrationView?> GetAsync(Guid hostId, Guid orchestrationId, CancellationToken ct = default) =>
        Task.FromResult(Views.TryGetValue(orchestrationId, out var view) && view.ParentHostId == hostId ? view : null);
}
