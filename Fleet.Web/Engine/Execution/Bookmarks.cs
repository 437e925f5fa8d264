using Fleet.Domain.Search;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

/// <summary>Saved host searches; a bookmark is kept only when its query parses, so a job that targets it can run.</summary>
public sealed class Bookmarks(IDbContextFactory<FleetDbContext> dbFactory) : IBookmarks
{
    public async Task<IReadOnlyList<BookmarkView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.Bookmarks.AsNoTracking().OrderBy(b => b.Name).ToListAsync(ct);
        return all.Select(ToView).ToList();
    }

    public async Task<BookmarkView> CreateAsync(string name, string query, string owner, bool isPublic, CancellationToken ct = default)
    {
        var bookmark = new Bookmark(name, query, owner, isPublic);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await TargetResolver.Query(db, bookmark.Query).AnyAsync(ct);
        if (await db.Bookmarks.AnyAsync(b => b.Name == bookmark.Name, ct)) throw UniqueName.Taken(nameof(Bookmark.Name));
        db.Bookmarks.Add(bookmark);
        await UniqueName.SaveAsync(db, nameof(Bookmark.Name), ct);
        return ToView(bookmark);
    }

    private static BookmarkView ToView(Bookmark b) => new(b.Id, b.Name, b.Query, b.Controller, b.Public, b.Owner);
}
