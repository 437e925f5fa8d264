using System.Linq.Expressions;
using Fleet.Domain.Hosts;

namespace Fleet.Domain.Search;

/// <summary>
/// The host search language, a subset of Foreman's scoped search:
/// <c>platform = linux and (cpu_count &gt;= 8 or memory &gt; 16GB) not status = offline</c>.
/// Parse returns a predicate EF Core translates to SQL, so a search filters in the database.
/// </summary>
public static class HostSearch
{
    /// <summary>Longer queries are refused before parsing, so a pasted blob costs nothing.</summary>
    public const int MaxLength = 4000;

    private static readonly Expression<Func<ManagedHost, bool>> MatchAll = SearchExpressionBuilder.Build(null);

    /// <summary>The canonical field names, in the order the UI should offer them.</summary>
    public static IReadOnlyList<string> Fields => HostSearchFields.Names;

    /// <summary>Null, empty or whitespace matches every host.</summary>
    /// <exception cref="HostSearchException">The query is malformed, too long or nested too deeply.</exception>
    public static Expression<Func<ManagedHost, bool>> Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query)) return MatchAll;
        if (query.Length > MaxLength)
        {
            throw new HostSearchException($"The query is {query.Length} characters long; the limit is {MaxLength}", MaxLength);
        }
        return SearchExpressionBuilder.Build(SearchParser.Parse(query));
    }
}
