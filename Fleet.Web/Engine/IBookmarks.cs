namespace Fleet.Web.Engine;

public sealed record BookmarkView(long Id, string Name, string Query, string Controller, bool Public, string Owner);

/// <summary>Saved host searches. A query that does not parse → <see cref="SearchSyntaxException"/>; a taken name → DomainException on <c>Name</c>.</summary>
public interface IBookmarks
{
    Task<IReadOnlyList<BookmarkView>> ListAsync(CancellationToken ct = default);
    Task<BookmarkView> CreateAsync(string name, string query, string owner, bool isPublic, CancellationToken ct = default);
}
