using Fleet.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Data;

public sealed class SqliteWalSyncTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-walsync-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private FleetDbContext Open(int defaultTimeoutSeconds) =>
        new(new DbContextOptionsBuilder<FleetDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "fleet.db"), DefaultTimeout = defaultTimeoutSeconds }.ToString())
            .AddInterceptors(new SqliteWalSync()).Options);

    private static async Task<long> PragmaAsync(FleetDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task OpenedConnection_WaitsInSqlitesBusyHandlerForItsDefaultTimeout()
    {
        await using var db = Open(defaultTimeoutSeconds: 7);
        await db.Database.OpenConnectionAsync();

        Assert.Equal(7000, await PragmaAsync(db, "busy_timeout"));
    }

    [Fact]
    public async Task OpenedConnection_CommitsWithoutWaitingForAnFsync()
    {
        await using var db = Open(defaultTimeoutSeconds: 30);
        await db.Database.OpenConnectionAsync();

        Assert.Equal(1, await PragmaAsync(db, "synchronous")); // NORMAL
    }

    [Fact]
    public async Task Writer_BlockedByAnotherWriter_GoesThroughOnceItCommits()
    {
        await using var first = Open(defaultTimeoutSeconds: 30);
        await using var second = Open(defaultTimeoutSeconds: 30);
        await first.Database.OpenConnectionAsync();
        await second.Database.OpenConnectionAsync();
        await first.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER);");
        var holding = await first.Database.BeginTransactionAsync();
        await first.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (1);");

        var blocked = Task.Run(() => second.Database.ExecuteSqlRaw("INSERT INTO t VALUES (2);"));
        await holding.CommitAsync();
        await blocked;

        Assert.Equal([1L, 2L], await first.Database.SqlQueryRaw<long>("SELECT x AS Value FROM t ORDER BY x").ToListAsync());
    }
}
