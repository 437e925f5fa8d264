using Fleet.Domain.Hosts;
using Fleet.Domain.Execution;
using Fleet.Domain.Inventory;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine;

/// <inheritdoc cref="IFleetReader"/>
public sealed class FleetReader(IDbContextFactory<FleetDbContext> dbFactory, TimeProvider clock) : IFleetReader
{
    public async Task<FleetCounts> GetCountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Both counts read indexes only (the approval/connectivity index, the small index of hosts with an error), never
        // the host rows: at 19,000 hosts, reading each row for its error made the query 12-14 ms instead of 1.5 ms.
        var groups = await db.Hosts.AsNoTracking()
            .GroupBy(h => new { h.Approval, h.Connectivity })
            .Select(g => new { g.Key.Approval, g.Key.Connectivity, Count = g.Count() })
            .ToListAsync(ct);
        var withErrors = await db.Hosts.CountAsync(h => h.Approval == HostApproval.Approved && h.LastError != null, ct);
        int Count(HostApproval approval, HostConnectivity? connectivity = null) =>
            groups.Where(g => g.Approval == approval && (connectivity is null || g.Connectivity == connectivity)).Sum(g => g.Count);
        return new FleetCounts(
            Total: Count(HostApproval.Approved),
            Online: Count(HostApproval.Approved, HostConnectivity.Online),
            Offline: Count(HostApproval.Approved, HostConnectivity.Offline),
            PendingApproval: Count(HostApproval.Pending),
            WithErrors: withErrors,
            LastUpdated: clock.GetUtcNow());
    }

    public async Task<Paged<HostRow>> ListHostsAsync(HostListQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hosts = db.Hosts.AsNoTracking().AsQueryable();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLower();
            hosts = hosts.Where(h => h.Hostname.ToLower().Contains(term) || h.IpAddress.Contains(term) || h.OsVersion.ToLower().Contains(term));
        }
        if (!string.IsNullOrWhiteSpace(query.Platform)) hosts = hosts.Where(h => h.Platform == query.Platform);
        hosts = query.Status switch
        {
            HostStatusFilter.Online => hosts.Where(h => h.Approval == HostApproval.Approved && h.Connectivity == HostConnectivity.Online),
            HostStatusFilter.Offline => hosts.Where(h => h.Approval == HostApproval.Approved && h.Connectivity == HostConnectivity.Offline),
            HostStatusFilter.Pending => hosts.Where(h => h.Approval == HostApproval.Pending),
            HostStatusFilter.Rejected => hosts.Where(h => h.Approval == HostApproval.Rejected),
            HostStatusFilter.Errors => hosts.Where(h => h.Approval == HostApproval.Approved && h.LastError != null),
            _ => hosts,
        };
        var total = await hosts.CountAsync(ct);
        hosts = (query.SortBy, query.Descending) switch
        {
            ("status", false) => hosts.OrderBy(h => h.Approval).ThenByDescending(h => h.Connectivity).ThenBy(h => h.Hostname),
            ("status", true) => hosts.OrderByDescending(h => h.Approval).ThenBy(h => h.Connectivity).ThenBy(h => h.Hostname),
            ("platform", var d) => Order(hosts, h => h.Platform, d),
            ("os_version", var d) => Order(hosts, h => h.OsVersion, d),
            ("ip_address", var d) => Order(hosts, h => h.IpAddress, d),
            ("agent_version", var d) => Order(hosts, h => h.AgentVersion, d),
            ("last_seen", false) => hosts.OrderBy(h => h.LastSeen).ThenBy(h => h.Id),
            ("last_seen", true) => hosts.OrderByDescending(h => h.LastSeen).ThenBy(h => h.Id),
            (_, var d) => Order(hosts, h => h.Hostname, d),
        };
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var rows = await hosts.Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize).ToListAsync(ct);
        var ids = rows.Select(h => h.Id).ToList();
        var requested = (await OpenRequests(db).Where(r => ids.Contains(r.HostId)).Select(r => r.HostId).ToListAsync(ct)).ToHashSet();
        var disks = await db.InventorySections.AsNoTracking()
            .Where(s => ids.Contains(s.HostId) && s.Section == InventorySections.Storage && s.FullestPercent != null)
            .ToDictionaryAsync(s => s.HostId, s => s.FullestPercent, ct);
        var lastJobs = await LastJobsAsync(db, ids, ct);
        return new Paged<HostRow>(rows.Select(h => ToRow(h) with
        {
            ReenrolmentRequested = requested.Contains(h.Id),
            FullestDiskPercent = disks.GetValueOrDefault(h.Id),
            LastJob = lastJobs.GetValueOrDefault(h.Id),
        }).ToList(), total);
    }

    /// <summary>One bounded query per page of hosts: each host's latest finished run.</summary>
    private static async Task<Dictionary<Guid, LastJobResult>> LastJobsAsync(FleetDbContext db, List<Guid> hostIds, CancellationToken ct)
    {
        // The domain says which statuses are final; the query needs them as a list it can translate.
        var finished = Enum.GetValues<TargetRunStatus>().Where(s => s.IsFinal()).ToArray();
        var latest = await db.TargetRuns.AsNoTracking()
            .Where(r => hostIds.Contains(r.HostId) && finished.Contains(r.Status))
            .GroupBy(r => r.HostId)
            .Select(g => g.OrderByDescending(r => r.InvocationId).Select(r => new { r.HostId, r.InvocationId, r.Status, r.EndedAt }).First())
            .ToListAsync(ct);
        return latest.ToDictionary(r => r.HostId, r => new LastJobResult(r.InvocationId, r.Status.Wire(), r.EndedAt));
    }

    private static IQueryable<ManagedHost> Order(IQueryable<ManagedHost> hosts, System.Linq.Expressions.Expression<Func<ManagedHost, string>> key, bool descending) =>
        descending ? hosts.OrderByDescending(key).ThenBy(h => h.Hostname) : hosts.OrderBy(key).ThenBy(h => h.Hostname);

    public async Task<IReadOnlyList<string>> ListPlatformsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Hosts.AsNoTracking().Where(h => h.Platform != "").Select(h => h.Platform).Distinct().OrderBy(p => p).ToListAsync(ct);
    }

    public async Task<HostDetail?> GetHostAsync(Guid hostId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var h = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        if (h is null) return null;
        var request = await OpenRequests(db).Where(r => r.HostId == hostId).OrderByDescending(r => r.RequestedAt).FirstOrDefaultAsync(ct);
        var reenrolment = request is null ? null : new ReenrolmentView(request.Hostname, request.RemoteAddress, request.BootId,
            request.CurrentAgentAddress, request.CurrentAgentBootId, request.RequestedAt, request.LastRequestedAt, request.Status == ReenrolmentStatus.Approved);
        var trust = new HostTrust(h.Approval == HostApproval.Approved, h.IsRevoked, h.SecretRevokedAt, h.AgentAddress, h.AgentBootId,
            h.DuplicateSeenAt, h.DuplicateDetail, reenrolment);
        return new HostDetail(h.Id, h.Hostname, StatusWord(h), h.Platform, h.OsVersion, h.KernelVersion, h.AgentVersion,
            h.CpuCount, h.CpuModel, h.MemoryTotalBytes, h.UptimeSeconds, h.IpAddress, h.EnrolledAt, h.LastSeen, h.InventoryUpdatedAt, h.LastError, trust);
    }

    public async Task<HostInventoryView> GetInventoryAsync(Guid hostId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return new HostInventoryView(
            await InventoryStore.ReadAsync<StorageDevice>(db, hostId, InventorySections.Storage, ct),
            await InventoryStore.ReadAsync<NetworkInterfaceInfo>(db, hostId, InventorySections.Network, ct),
            await InventoryStore.ReadAsync<UserAccount>(db, hostId, InventorySections.Users, ct),
            await InventoryStore.ReadAsync<UserGroup>(db, hostId, InventorySections.Groups, ct),
            await InventoryStore.ReadAsync<SoftwarePackage>(db, hostId, InventorySections.Software, ct));
    }

    public async Task<InventorySection<T>> GetSectionAsync<T>(Guid hostId, InventorySections section, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await InventoryStore.ReadAsync<T>(db, hostId, section, ct);
    }

    public async Task<Paged<SoftwarePackage>> SearchSoftwareAsync(Guid hostId, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        var software = await GetSectionAsync<SoftwarePackage>(hostId, InventorySections.Software, ct);
        IEnumerable<SoftwarePackage> matches = software.Items;
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            matches = matches.Where(p => p.Name.Contains(term, StringComparison.OrdinalIgnoreCase) ||
                                         p.Description.Contains(term, StringComparison.OrdinalIgnoreCase));
        }
        var list = matches.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        pageSize = Math.Clamp(pageSize, 1, 1000);
        return new Paged<SoftwarePackage>(list.Skip(Math.Max(0, page) * pageSize).Take(pageSize).ToList(), list.Count);
    }

    public async Task<HostDetail?> FindByHostnameAsync(string hostname, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Hostnames are not unique across re-enrolments; the most recently seen host is the one meant.
        var id = await db.Hosts.AsNoTracking().Where(h => h.Hostname == hostname)
            .OrderByDescending(h => h.LastSeen).Select(h => (Guid?)h.Id).FirstOrDefaultAsync(ct);
        return id is { } hostId ? await GetHostAsync(hostId, ct) : null;
    }

    public async Task<bool> HostExistsAsync(Guid hostId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Hosts.AnyAsync(h => h.Id == hostId, ct);
    }

    public async Task<IReadOnlyList<HostRow>> ListAllHostsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hosts = await db.Hosts.AsNoTracking().OrderBy(h => h.Hostname).ToListAsync(ct);
        return hosts.Select(ToRow).ToList();
    }

    public static string StatusWord(ManagedHost h) => h.Approval switch
    {
        HostApproval.Pending => "pending",
        HostApproval.Rejected => "rejected",
        _ => h.IsOnline ? "online" : "offline",
    };

    public static HostRow ToRow(ManagedHost h) =>
        new(h.Id, h.Hostname, StatusWord(h), h.Platform, h.OsVersion, h.IpAddress, h.AgentVersion, h.LastSeen, h.LastError, h.DuplicateSeenAt is not null);

    private static IQueryable<ReenrolmentRequest> OpenRequests(FleetDbContext db) =>
        db.ReenrolmentRequests.AsNoTracking().Where(r => r.Status == ReenrolmentStatus.Pending || r.Status == ReenrolmentStatus.Approved);
}
