using Fleet.Domain.Agents;
using Fleet.Domain.Hosts;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine;

/// <summary>Replaces a host's stored child hosts with what its agent just reported.</summary>
public static class ChildHostStore
{
    public const int MaxChildren = 5000;

    /// <returns>Whether anything changed (a child appeared, disappeared or changed state).</returns>
    public static async Task<bool> SaveAsync(FleetDbContext db, Guid hostId, ChildHostReport report, DateTimeOffset now)
    {
        var host = await db.Hosts.FindAsync(hostId);
        if (host is null) return false;
        var changed = host.HasContainerEngine != report.HasContainerEngine || host.ChildrenReportedAt is null;
        host.RecordChildReport(report.HasContainerEngine, now);

        // Within one write batch an earlier report of the same host may have added rows not yet saved.
        var stored = (await db.ChildHosts.Where(c => c.ParentHostId == hostId).ToListAsync())
            .Concat(db.Tracked<ChildHost>(EntityState.Added).Where(c => c.ParentHostId == hostId))
            .Where(c => db.Entry(c).State != EntityState.Deleted)
            .DistinctBy(c => c.Id)
            .ToDictionary(c => (c.Type, c.Name));
        var reported = report.Children
            .Where(c => !string.IsNullOrWhiteSpace(c.Name) && !string.IsNullOrWhiteSpace(c.Type))
            .Select(c => c with { Name = Clip(c.Name.Trim(), 255), Type = Clip(c.Type.Trim().ToLowerInvariant(), 50), Status = Clip(c.Status ?? "", 50) })
            .DistinctBy(c => (c.Type, c.Name))
            .ToList();
        foreach (var child in reported)
        {
            if (stored.Remove((child.Type, child.Name), out var existing))
                changed |= existing.Update(child.Type, child.Status, now);
            else
            {
                db.ChildHosts.Add(new ChildHost(Guid.NewGuid(), hostId, child.Name, child.Type, child.Status, now));
                changed = true;
            }
        }
        // An engine that did not answer this time says nothing about its children: keep them until it does.
        var unknown = (report.UnavailableTypes ?? []).Select(t => t.Trim().ToLowerInvariant()).ToHashSet();
        foreach (var gone in stored.Values.Where(c => !unknown.Contains(c.Type)))
        {
            db.ChildHosts.Remove(gone);
            changed = true;
        }
        return changed;
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}
