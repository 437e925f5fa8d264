using Fleet.Domain.Hosts;
using Fleet.Domain.Inventory;
using Fleet.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Domain.Search;

/// <summary>
/// Five hosts in a migrated in-memory SQLite database, shared by the tests of a class because searches
/// only read. Running every query through EF Core proves it translates to SQL, not just that it compiles.
/// </summary>
public sealed class SearchDatabase : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private const long GiB = 1L << 30;

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public IReadOnlyList<ManagedHost> Hosts { get; private set; } = [];

    public FleetDbContext CreateContext() => new(new DbContextOptionsBuilder<FleetDbContext>().UseSqlite(_connection).Options);

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var db = CreateContext();
        await db.Database.MigrateAsync();

        var webOne = Host("web-01", new("web-01", "linux", "Ubuntu 24.04", "6.8.0-45-generic", "1.2.0", 4, "Intel Xeon E5-2680", 8 * GiB, 0, "10.0.0.11"));
        webOne.Approve(Now);
        webOne.MarkOnline(Now);

        var webTwo = Host("web-02", new("web-02", "linux", "Ubuntu 22.04", "5.15.0-100-generic", "1.1.0", 2, "Intel Xeon E5-2680", 4 * GiB, 0, "10.0.0.12"));
        webTwo.Approve(Now);
        webTwo.ReportError("disk collection failed");

        var database = Host("db-01", new("db-01", "linux", "Debian 12", "6.1.0-18-amd64", "1.2.0", 16, "AMD EPYC 7543", 64 * GiB, 0, "10.0.1.5"));
        database.Approve(Now);
        database.MarkOnline(Now);

        var build = Host("WIN-BUILD", new("WIN-BUILD", "windows", "Windows Server 2022", "10.0.20348", "1.2.0", 8, "AMD EPYC 7543", 32 * GiB, 0, "10.0.2.7"));

        var mac = Host("mac-mini", new("mac-mini", "darwin", "macOS 14.5", "23.5.0", "1.0.0", 8, "Apple M2 \"Pro\"", 16 * GiB, 0, "192.168.1.20"));
        mac.Reject(DateTimeOffset.UnixEpoch);
        mac.ReportError("inventory timed out");

        Hosts = [webOne, webTwo, database, build, mac];
        db.Hosts.AddRange(Hosts);
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private static ManagedHost Host(string name, HostFacts facts)
    {
        var host = new ManagedHost(Guid.NewGuid(), "machine-" + name, name, Now);
        host.ApplyFacts(facts, Now);
        return host;
    }
}
