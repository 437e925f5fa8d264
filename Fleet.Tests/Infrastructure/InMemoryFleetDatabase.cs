using Fleet.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A migrated SQLite database in memory, alive while the test holds it, handed to engine services as their
/// context factory: queries run through EF Core for real, without a server.
/// </summary>
public sealed class InMemoryFleetDatabase : IDbContextFactory<FleetDbContext>, IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private DbContextOptions<FleetDbContext> _options = null!;

    public FleetDbContext CreateDbContext() => new(_options);

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _options = new DbContextOptionsBuilder<FleetDbContext>().UseSqlite(_connection, lite => lite.UseParameterizedCollectionMode(DataSetup.IdLists)).Options;
        await using var db = CreateDbContext();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();
}
