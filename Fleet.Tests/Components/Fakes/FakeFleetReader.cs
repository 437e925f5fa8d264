using Fleet.Domain.Inventory;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Fakes;

/// <summary>An in-memory fleet whose contents a test sets directly.</summary>
public sealed class FakeFleetReader : IFleetReader
{
    public FleetCounts Counts { get; set; } = new(0, 0, 0, 0, 0, DateTimeOffset.UtcNow);
    public List<HostRow> Hosts { get; } = [];
    public Dictionary<Guid, HostDetail> Details { get; } = [];
    public Dictionary<Guid, HostInventoryView> Inventories { get; } = [];
    public List<HostListQuery> HostQueries { get; } = [];
    public List<string?> SoftwareSearches { get; } = [];

    public Task<FleetCounts> GetCountsAsync(CancellationToken ct = default) => Task.FromResult(Counts);

    public Task<Paged<HostRow>> ListHostsAsync(HostListQuery query, CancellationToken ct = default)
    {
        lock (HostQueries) HostQueries.Add(query);
        var matching = Hosts
            .Where(h => query.Search is null || h.Hostname.Contains(query.Search, StringComparison.OrdinalIgnoreCase))
            .Where(h => query.Platform is null || h.Platform == query.Platform)
            .OrderBy(h => h.Hostname, StringComparer.Ordinal)
            .ToList();
        var page = matching.Skip(query.Page * query.PageSize).Take(query.PageSize).ToList();
        return Task.FromResult(new Paged<HostRow>(page, matching.Count));
    }

    public Task<IReadOnlyList<string>> ListPlatformsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>(Hosts.Select(h => h.Platform).Distinct().Order().ToList());

    public Task<HostDetail?> GetHostAsync(Guid hostId, CancellationToken ct = default) =>
        Task.FromResult(Details.GetValueOrDefault(hostId));

    public Task<HostInventoryView> GetInventoryAsync(Guid hostId, CancellationToken ct = default) =>
        Inventories.TryGetValue(hostId, out var inventory)
            ? Task.FromResult(inventory)
            : Task.FromException<HostInventoryView>(new HostNotFoundException(hostId));

    public Task<Paged<SoftwarePackage>> SearchSoftwareAsync(Guid hostId, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        lock (SoftwareSearches) SoftwareSearches.Add(search);
        var all = Inventories.TryGetValue(hostId, out var inventory) ? inventory.Software.Items : [];
        var matching = all
            .Where(p => search is null || p.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return Task.FromResult(new Paged<SoftwarePackage>(matching.Skip(page * pageSize).Take(pageSize).ToList(), matching.Count));
    }

    public static HostRow Row(string hostname, string status, string? lastError = null) =>
        new(Guid.NewGuid(), hostname, status, "linux", "Debian 12", "10.0.0.5", "1.0.0",
            DateTimeOffset.UtcNow.AddMinutes(-2), lastError);
}
