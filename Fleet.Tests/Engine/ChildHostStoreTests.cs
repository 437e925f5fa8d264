using Fleet.Domain.Agents;
using Fleet.Domain.Hosts;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine;

/// <summary>Storing what an agent reports about its child hosts, on a real SQLite database.</summary>
public sealed class ChildHostStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private DbContextOptions<FleetDbContext> _options = null!;
    private readonly Guid _hostId = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _options = new DbContextOptionsBuilder<FleetDbContext>().UseSqlite(_connection).Options;
        await using var db = new FleetDbContext(_options);
        await db.Database.MigrateAsync();
        db.Hosts.Add(new ManagedHost(_hostId, "machine-parent", "parent", Now));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private async Task<List<(string Type, string Name, Guid Id)>> SaveAsync(ChildHostReport report)
    {
        await using (var db = new FleetDbContext(_options))
        {
            await ChildHostStore.SaveAsync(db, _hostId, report, Now);
            await db.SaveChangesAsync();
        }
        await using var read = new FleetDbContext(_options);
        return (await read.ChildHosts.AsNoTracking().Where(c => c.ParentHostId == _hostId).ToListAsync())
            .Select(c => (c.Type, c.Name, c.Id)).OrderBy(c => c.Type).ThenBy(c => c.Name).ToList();
    }

    [Fact]
    public async Task Save_AnUnavailableEngine_KeepsItsChildrenWithTheirIds_UntilItAnswersWithoutThem()
    {
        var first = await SaveAsync(new ChildHostReport(true, [new("web", "lxd", "running"), new("cache", "docker", "running")]));

        var daemonDown = await SaveAsync(new ChildHostReport(true, [new("web", "lxd", "running")], ["docker"]));
        Assert.Equal(first, daemonDown);

        var answered = await SaveAsync(new ChildHostReport(true, [new("web", "lxd", "running")], []));
        Assert.Equal([("lxd", "web")], answered.Select(c => (c.Type, c.Name)));
    }
}
