using Fleet.Domain.Inventory;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeHostOperations : IHostOperations
{
    public List<Guid> Approved { get; } = [];
    public List<Guid> Rejected { get; } = [];
    public List<Guid> Revoked { get; } = [];
    public List<Guid> ReenrolmentsApproved { get; } = [];
    public List<Guid> ReenrolmentsRejected { get; } = [];
    public List<(IReadOnlyList<Guid> HostIds, InventorySections Sections)> InventoryRequests { get; } = [];

    /// <summary>When set, every operation throws it (e.g. a DomainException the page must show).</summary>
    public Exception? Failure { get; set; }

    public Task ApproveAsync(Guid hostId, CancellationToken ct = default)
    {
        if (Failure is not null) throw Failure;
        Approved.Add(hostId);
        return Task.CompletedTask;
    }

    public Task RejectAsync(Guid hostId, CancellationToken ct = default)
    {
        if (Failure is not null) throw Failure;
        Rejected.Add(hostId);
        return Task.CompletedTask;
    }

    public Task RevokeAsync(Guid hostId, CancellationToken ct = default) => Record(Revoked, hostId);

    public Task ApproveReenrolmentAsync(Guid hostId, CancellationToken ct = default) => Record(ReenrolmentsApproved, hostId);

    public Task RejectReenrolmentAsync(Guid hostId, CancellationToken ct = default) => Record(ReenrolmentsRejected, hostId);

    private Task Record(List<Guid> list, Guid hostId)
    {
        if (Failure is not null) throw Failure;
        list.Add(hostId);
        return Task.CompletedTask;
    }

    public Task<InventoryRefresh> RequestInventoryAsync(IReadOnlyList<Guid> hostIds, InventorySections sections, CancellationToken ct = default)
    {
        if (Failure is not null) throw Failure;
        InventoryRequests.Add((hostIds, sections));
        return Task.FromResult(new InventoryRefresh(Guid.NewGuid(),
            hostIds.Select(id => new InventoryRequestResult(id, InventoryRequestOutcome.Sent, Guid.NewGuid())).ToList(), DateTimeOffset.UtcNow.AddMinutes(1)));
    }
}
