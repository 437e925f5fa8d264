using System.Linq.Expressions;
using Fleet.Domain.Hosts;
namespace Fleet.Domain.Search;
public sealed class HostSearchException(string message, int position) : Exception(message) { public int Position { get; } = position; }
public static class HostSearch
{
    public static Expression<Func<ManagedHost, bool>> Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query)) return h => true;
        var q = query.Trim();
        if (q.StartsWith("name = ")) { var v = q[7..].Trim('"'); return h => h.Hostname == v; }
        if (q.StartsWith("name ~ ")) { var v = q[7..].Trim('"'); return h => h.Hostname.Contains(v); }
        if (q.Contains('(')) throw new HostSearchException("stub", q.IndexOf('('));
        return h => h.Hostname.Contains(q);
    }
}
