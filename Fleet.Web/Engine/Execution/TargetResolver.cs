using Fleet.Domain;
using Fleet.Domain.Hosts;
using Fleet.Domain.Search;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

public sealed record ResolvedHost(Guid Id, string Hostname);

/// <summary>Turns a search query or a list of host ids into the approved hosts an invocation runs on.</summary>
public static class TargetResolver
{
    public static IQueryable<ManagedHost> Query(FleetDbContext db, string? searchQuery)
    {
        try
        {
            return db.Hosts.AsNoTracking().Where(h => h.Approval == HostApproval.Approved).Where(HostSearch.Parse(searchQuery));
        }
        catch (HostSearchException error)
        {
            throw new SearchSyntaxException(error.Message, error.Position);
        }
    }

    public static async Task<List<ResolvedHost>> ResolveAsync(FleetDbContext db, string? searchQuery, IReadOnlyList<Guid>? hostIds, bool randomize, CancellationToken ct)
    {
        List<ResolvedHost> hosts;
        if (hostIds is { Count: > 0 })
        {
            var wanted = hostIds.Distinct().ToList();
            hosts = [];
            foreach (var chunk in wanted.Chunk(500))
                hosts.AddRange(await db.Hosts.AsNoTracking().Where(h => chunk.Contains(h.Id) && h.Approval == HostApproval.Approved)
                    .Select(h => new ResolvedHost(h.Id, h.Hostname)).ToListAsync(ct));
            var missing = wanted.Except(hosts.Select(h => h.Id)).ToList();
            if (missing.Count > 0) throw new DomainException($"Unknown or unapproved host(s): {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : "")}.");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(searchQuery)) throw new DomainException("Choose the target hosts: a search query or a list of hosts.");
            hosts = await Query(db, searchQuery).OrderBy(h => h.Hostname).Select(h => new ResolvedHost(h.Id, h.Hostname)).ToListAsync(ct);
        }
        if (randomize) hosts = hosts.OrderBy(_ => Random.Shared.Next()).ToList();
        return hosts;
    }
}
