using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Hosts;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.AgentMaintenance;

public sealed partial class AgentMaintenanceService
{
    public const int MaxPageSize = 1000;

    public async Task<AgentInvocationPage> ListAsync(AgentInvocationFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AgentInvocations.AsNoTracking();
        if (filter.InvocationId is { } invocationId) query = query.Where(a => a.Id == invocationId);
        if (filter.InstanceId is { } instanceId) query = query.Where(a => a.InstanceId == instanceId.ToLowerInvariant());
        if (filter.InvocationType is { } type) query = query.Where(a => a.Type == type);
        if (filter.Status is { } status) query = query.Where(a => a.Status == status);
        var count = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id)
            .Skip(Math.Max(0, filter.Offset)).Take(Math.Clamp(filter.Limit, 0, MaxPageSize)).ToListAsync(ct);
        return new AgentInvocationPage(items.Select(View).ToList(), count);
    }

    public async Task<AgentInvocationView?> GetAsync(string invocationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocation = await db.AgentInvocations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == invocationId, ct);
        return invocation is null ? null : View(invocation);
    }

    public async Task<RemoteInstaller?> CurrentInstallerAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var designation = await db.RemoteInstaller.AsNoTracking().FirstOrDefaultAsync(ct);
        if (designation is null) return null;
        var hostname = await db.Hosts.AsNoTracking().Where(h => h.Id == designation.HostId).Select(h => h.Hostname).FirstOrDefaultAsync(ct);
        return hostname is null ? null
            : new RemoteInstaller(designation.HostId, hostname, presence.IsConnected(designation.HostId), designation.DesignatedAt, designation.DesignatedBy);
    }

    public async Task<AgentVersionSummary> VersionSummaryAsync(CancellationToken ct = default)
    {
        var defaultVersion = (await packages.ForVersionTypeAsync(null, ct))?.Version;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.Hosts.AsNoTracking().Where(h => h.Approval == HostApproval.Approved)
            .GroupBy(h => h.AgentVersion).Select(g => new { Version = g.Key, Hosts = g.Count() }).ToListAsync(ct);
        var counts = versions.OrderByDescending(v => v.Hosts).ThenBy(v => v.Version, StringComparer.Ordinal)
            .Select(v => new AgentVersionCount(string.IsNullOrEmpty(v.Version) ? "unknown" : v.Version, v.Hosts)).ToList();
        var outOfDate = defaultVersion is null ? 0 : versions.Where(v => v.Version != defaultVersion).Sum(v => v.Hosts);
        return new AgentVersionSummary(counts, defaultVersion, outOfDate);
    }

    private static AgentInvocationView View(AgentInvocation a) => new(
        a.Id, a.InstanceId, a.InstanceName, a.InstanceKind.Word(), a.Type, a.Target, a.Status, a.VersionBefore, a.TargetVersion, a.VersionAfter,
        a.CreatedAt, a.UpdatedAt, a.StartedAt, a.EndedAt, a.ErrorCode, a.ErrorMessage, a.RetryOf, a.RollbackOf, a.EngineInvocationId, a.TargetRunId,
        a.EnrolledHostId, a.CreatedBy);
}
