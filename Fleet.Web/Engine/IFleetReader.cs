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
    /// <summary>
    /// Asks each approved host's agent for fresh inventory; an offline one gets the request when it reconnects. An unknown
    /// or unapproved host gets none, and the answer says so for each host rather than refusing the batch.
    /// </summary>
    Task<InventoryRefresh> RequestInventoryAsync(IReadOnlyList<Guid> hostIds, InventorySections sections, CancellationToken ct = default);
}

public sealed class HostNotFoundException : Exception
{
    public HostNotFoundException(Guid hostId) : base($"Host {hostId} was not found.") => HostId = hostId;

    public HostNotFoundException(string hostname) : base($"No host is named '{hostname}'.") => Hostname = hostname;

    /// <summary>The id asked for, when the host was asked for by id.</summary>
    public Guid? HostId { get; }

    /// <summary>The name asked for, when the host was asked for by name.</summary>
    public string? Hostname { get; }
}
