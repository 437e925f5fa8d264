using Fleet.Domain.Inventory;

namespace Fleet.Web.Engine;

/// <summary>Read side of the fleet, shared by the pages and the API façades.</summary>
public interface IFleetReader
{
    Task<FleetCounts> GetCountsAsync(CancellationToken ct = default);
    Task<Paged<HostRow>> ListHostsAsync(HostListQuery query, CancellationToken ct = default);
    Task<IReadOnlyList<string>> ListPlatformsAsync(CancellationToken ct = default);
    Task<HostDetail?> GetHostAsync(Guid hostId, CancellationToken ct = default);
    Task<HostInventoryView> GetInventoryAsync(Guid hostId, CancellationToken ct = default);
    /// <param name="page">Zero-based.</param>
    Task<Paged<SoftwarePackage>> SearchSoftwareAsync(Guid hostId, string? search, int page, int pageSize, CancellationToken ct = default);
}

/// <summary>Operator actions on hosts. Unknown host → <see cref="HostNotFoundException"/>; an illegal move → DomainException.</summary>
public interface IHostOperations
{
    Task ApproveAsync(Guid hostId, CancellationToken ct = default);
    Task RejectAsync(Guid hostId, CancellationToken ct = default);
    /// <summary>Invalidates the host's secret; its connected agent is refused and disconnected.</summary>
    Task RevokeAsync(Guid hostId, CancellationToken ct = default);
    /// <summary>Hands the host's identity to the agent that asked to re-enrol: the old secret is revoked and its agent refused.</summary>
    Task ApproveReenrolmentAsync(Guid hostId, CancellationToken ct = default);
    /// <summary>Refuses the agent that asked to re-enrol; the host and its agent are untouched.</summary>
    Task RejectReenrolmentAsync(Guid hostId, CancellationToken ct = default);
    /// <summary>Asks each host's agent for fresh inventory; an offline host gets the request when it reconnects.</summary>
    Task<InventoryRefresh> RequestInventoryAsync(IReadOnlyList<Guid> hostIds, InventorySections sections, CancellationToken ct = default);
}

public sealed class HostNotFoundException(Guid hostId) : Exception($"Host {hostId} was not found.")
{
    public Guid HostId { get; } = hostId;
}
