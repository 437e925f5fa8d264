using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

public static class DataSetup
{
    public const string DefaultConnectionString = "Data Source=data/fleet.db";

    public static IServiceCollection AddFleetData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = PrepareSqlite(configuration.GetConnectionString("Fleet") ?? DefaultConnectionString);
        services.AddFleetDataProtection(DataFolder.PathOf(connectionString));
        var builtInFolder = configuration[$"{Engine.AgentPackages.AgentPackageOptions.Section}:BuiltInFolder"]
            ?? Path.Combine(AppContext.BaseDirectory, Engine.AgentPackages.BuiltInAgentPackage.FolderName);
        services.AddSingleton<Engine.AgentPackages.IAgentPackages>(sp => new Engine.AgentPackages.AgentPackageStore(
            Path.Combine(DataFolder.PathOf(connectionString), "agent-packages"), sp.GetRequiredService<TimeProvider>(),
            Engine.AgentPackages.BuiltInAgentPackage.Find(builtInFolder)));
        services.AddDbContextFactory<FleetDbContext>(options => options.UseSqlite(connectionString).AddInterceptors(new SqliteWalSync()));
        services.AddSingleton<DbWriteBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DbWriteBatcher>());
        return services;
    }

    /// <summary>
    /// Creates the database folder (700) and file (600) and sets a generous busy timeout: Microsoft.Data.Sqlite
    /// retries a locked database until the command timeout, so concurrent writers wait instead of failing.
    /// </summary>
    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        var file = builder.DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder)) DataFolder.CreatePrivateFolder(folder);
            DataFolder.SecureDatabaseFile(Path.GetFullPath(file));
        }
        return builder.ToString();
    }

    /// <summary>Applies migrations and switches SQLite to WAL so readers never block the writer.</summary>
    public static async Task MigrateFleetDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync(ct);
    }
}
