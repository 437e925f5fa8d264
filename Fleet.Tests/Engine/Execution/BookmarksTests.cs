using Fleet.Domain;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;

namespace Fleet.Tests.Engine.Execution;

/// <summary>Saved host searches: kept only when the query parses and the name is free.</summary>
public sealed class BookmarksTests : IAsyncLifetime
{
    private readonly InMemoryFleetDatabase _database = new();
    private Bookmarks _bookmarks = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _bookmarks = new Bookmarks(_database);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Create_ThenList_InNameOrder()
    {
        await _bookmarks.CreateAsync("web", " name ~ web ", "alice", isPublic: true);
        await _bookmarks.CreateAsync("db", "name ~ db", "bob", isPublic: false);
        var all = await _bookmarks.ListAsync();
        Assert.Equal(["db", "web"], all.Select(b => b.Name));
        Assert.Equal(("name ~ web", "hosts", true, "alice"), (all[1].Query, all[1].Controller, all[1].Public, all[1].Owner));
    }

    [Fact]
    public async Task Create_AQueryThatDoesNotParse_IsRefusedAndNotKept()
    {
        await Assert.ThrowsAsync<SearchSyntaxException>(() => _bookmarks.CreateAsync("broken", "colour = red", "alice", false));
        Assert.Empty(await _bookmarks.ListAsync());
    }

    [Fact]
    public async Task Create_ATakenName_IsRefusedOnName()
    {
        await _bookmarks.CreateAsync("web", "name ~ web", "alice", false);
        var error = await Assert.ThrowsAsync<DomainException>(() => _bookmarks.CreateAsync("web", "name ~ other", "bob", false));
        Assert.Equal("Name", error.Field);
        Assert.Single(await _bookmarks.ListAsync());
    }
}
