using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fleet.Web.Data;

/// <summary>Where Fleet keeps its database (<c>Fleet:Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one SQLite file in the data folder, one server instance.</summary>
    Sqlite,
    /// <summary>Scale-out mode: several server instances share one PostgreSQL database.</summary>
    Postgres,
}

public static class DataSetup
{
    public const string DefaultConnectionString = "Data Source=data/fleet.db";
    public const string ProviderSetting = "Fleet:Database:Provider";
    public const string DataFolderSetting = "Fleet:DataFolder";

    // Any fixed number: every instance on one database agrees on it, and nothing else in Fleet takes it.
    private const long MigrationLockKey = 0x466C_6565_744D_6967; // "FleetMig"

    public static DatabaseProvider ProviderOf(IConfiguration configuration) => configuration.GetValue(ProviderSetting, DatabaseProvider.Sqlite);

    /// <summary>
    /// The folder for what is kept beside the database (Data Protection keys, agent packages): SQLite's file's folder, or on
    /// PostgreSQL <c>Fleet:DataFolder</c> (default <c>data</c>).
    /// </summary>
    public static string DataFolderOf(IConfiguration configuration) => ProviderOf(configuration) switch
    {
        DatabaseProvider.Postgres => Path.GetFullPath(configuration[DataFolderSetting] is { Length: > 0 } folder ? folder : "data"),
        _ => DataFolder.PathOf(configuration.GetConnectionString("Fleet") ?? DefaultConnectionString),
    };

    /// <summary>
    /// How both providers pass a list in a query (<c>ids.Contains(c.Id)</c>, thousands of ids for a broadcast): as one array
    /// parameter (SQLite: <c>json_each</c>, PostgreSQL: <c>= ANY</c>) rather than EF Core 10's default of one parameter per
    /// value. SQLite refuses a statement of more than 32,766 parameters (a job may have 100,000 targets) and binds named
    /// parameters at a cost that grows with the square of their number.
    /// </summary>
    public const ParameterTranslationMode IdLists = ParameterTranslationMode.Parameter;

    public static IServiceCollection AddFleetData(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ProviderOf(configuration);
        var dataFolder = DataFolderOf(configuration);
        services.AddFleetDataProtection(dataFolder);
        var builtInFolder = configuration[$"{Engine.AgentPackages.AgentPackageOptions.Section}:BuiltInFolder"]
            ?? Path.Combine(AppContext.BaseDirectory, Engine.AgentPackages.BuiltInAgentPackage.FolderName);
        services.AddSingleton<Engine.AgentPackages.IAgentPackages>(sp => new Engine.AgentPackages.AgentPackageStore(
            Path.Combine(dataFolder, "agent-packages"), sp.GetRequiredService<TimeProvider>(),
            Engine.AgentPackages.BuiltInAgentPackage.Find(builtInFolder)));
        switch (provider)
        {
            case DatabaseProvider.Postgres:
                var postgres = configuration.GetConnectionString("Fleet")
                    ?? throw new InvalidOperationException($"{ProviderSetting} = Postgres needs ConnectionStrings:Fleet (an Npgsql connection string).");
                services.AddDbContextFactory<PostgresFleetDbContext>(options => options.UseNpgsql(postgres, npgsql => npgsql.UseParameterizedCollectionMode(IdLists)));
                // Every service asks for the base type; on PostgreSQL it gets the PostgreSQL context.
                services.AddSingleton<IDbContextFactory<FleetDbContext>>(sp =>
                    new BaseTypeFactory<PostgresFleetDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresFleetDbContext>>()));
                services.AddSingleton<Engine.IClusterLock>(new Engine.PostgresClusterLock(postgres));
                break;
            case DatabaseProvider.Sqlite:
                var sqlite = PrepareSqlite(configuration.GetConnectionString("Fleet") ?? DefaultConnectionString);
                services.AddDbContextFactory<FleetDbContext>(options => options.UseSqlite(sqlite, lite => lite.UseParameterizedCollectionMode(IdLists)).AddInterceptors(new SqliteWalSync()));
                services.AddSingleton<Engine.IClusterLock, Engine.LocalClusterLock>();
                break;
            default:
                throw new InvalidOperationException($"{ProviderSetting} must be Sqlite or Postgres.");
        }
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

    /// <summary>
    /// Applies migrations: on SQLite after switching to WAL so readers never block the writer; on PostgreSQL under an
    /// advisory lock, so instances starting together migrate one after the other instead of racing on the same DDL.
    /// </summary>
    public static async Task MigrateFleetDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
            await db.Database.MigrateAsync(ct);
            return;
        }
        await using var lockConnection = new NpgsqlConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(ct);
        await AdvisoryAsync(lockConnection, "pg_advisory_lock", ct);
        try
        {
            await db.Database.MigrateAsync(ct);
        }
        finally
        {
            // Explicitly: a pooled connection keeps its session locks until its next use resets it.
            await AdvisoryAsync(lockConnection, "pg_advisory_unlock", CancellationToken.None);
        }
    }

    private static async Task AdvisoryAsync(NpgsqlConnection connection, string function, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@key)", connection);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Hands out a provider's subclass context as the base type every service asks for.</summary>
    private sealed class BaseTypeFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<FleetDbContext>
        where TContext : FleetDbContext
    {
        public FleetDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<FleetDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
