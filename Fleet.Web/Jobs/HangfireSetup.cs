using Fleet.Domain.Security;
using Fleet.Web.Data;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Npgsql;

namespace Fleet.Web.Jobs;

/// <summary>Where Hangfire keeps its jobs (<c>Fleet:Jobs:Storage</c>).</summary>
public enum JobStorageKind
{
    /// <summary>The embedded default: its own SQLite file beside Fleet's database, so schedules survive a restart.</summary>
    Sqlite,
    /// <summary>Nothing on disk: for test runs that start many servers in one process. The start-up reconciler rebuilds it.</summary>
    InMemory,
    /// <summary>
    /// Scale-out mode (the default with <c>Fleet:Database:Provider</c> = Postgres): Fleet's own PostgreSQL database, schema
    /// <c>hangfire</c>, shared by every instance, so each job runs once across the cluster.
    /// </summary>
    PostgreSql,
}

public static class HangfireSetup
{
    public const string StorageSetting = "Fleet:Jobs:Storage";
    public const string SqliteFileName = "hangfire.db";
    public const string PostgreSqlSchema = "hangfire";

    // Any fixed number all instances agree on ("FleetHfS").
    private const long SchemaLockKey = 0x466C_6565_7448_6653;

    public static IServiceCollection AddFleetJobs(this IServiceCollection services, IConfiguration configuration)
    {
        // Hangfire keeps its log provider in a static. Several hosts in one process (the tests) would
        // leave it pointing at a disposed logger factory; they opt into a provider that holds nothing.
        if (configuration.GetValue("Fleet:Jobs:QuietHangfireLogs", false)) services.AddSingleton<ILogProvider, QuietLogProvider>();
        var kind = configuration.GetValue(StorageSetting,
            DataSetup.ProviderOf(configuration) == DatabaseProvider.Postgres ? JobStorageKind.PostgreSql : JobStorageKind.Sqlite);
        // This host's own storage and activator, registered before AddHangfire: left to itself, AddHangfire hands every
        // host the static JobStorage.Current and JobActivator.Current, so with several hosts in one process (the tests)
        // the last one configured would run every host's jobs from its own container.
        services.AddSingleton<JobStorage>(sp =>
        {
            // After this host's Hangfire configuration (serializer settings, log provider) is in place.
            sp.GetRequiredService<IGlobalConfiguration>();
            return CreateStorage(kind, configuration);
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        // Scheduled work must start within seconds of its time, not on Hangfire's default 15 s poll.
        services.AddHangfireServer(options =>
        {
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            options.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
        });
        services.AddTransient<HostSweepJob>();
        services.AddTransient<InventoryRefreshJob>();
        services.AddTransient<TargetRunTimeoutJob>();
        services.AddTransient<AuditRetentionJob>();
        services.AddTransient<FleetSampleJob>();
        services.AddHostedService<StartupReconciler>();
        return services;
    }

    private static JobStorage CreateStorage(JobStorageKind kind, IConfiguration configuration) => kind switch
    {
        JobStorageKind.Sqlite => CreateSqliteStorage(configuration),
        JobStorageKind.InMemory => new InMemoryStorage(),
        JobStorageKind.PostgreSql => CreatePostgreSqlStorage(configuration),
        _ => throw new InvalidOperationException($"{StorageSetting} must be Sqlite, InMemory or PostgreSql."),
    };

    /// <summary>
    /// Hangfire's own SQLite file in Fleet's data folder: Fleet's database stays the source of truth, so Hangfire's
    /// file may be deleted at any time (the start-up reconciler re-registers what is due), and never migrates with it.
    /// </summary>
    private static SQLiteStorage CreateSqliteStorage(IConfiguration configuration)
    {
        var folder = DataSetup.DataFolderOf(configuration);
        DataFolder.CreatePrivateFolder(folder);
        var file = Path.Combine(folder, SqliteFileName);
        DataFolder.SecureDatabaseFile(file);
        return new SQLiteStorage(file, new SQLiteStorageOptions
        {
            // Enqueued work (retries, job continuations) starts within a second, as scheduled work does.
            QueuePollInterval = TimeSpan.FromSeconds(1),
        });
    }

    /// <summary>
    /// Hangfire's tables in Fleet's own PostgreSQL database, in a schema of their own. Every instance shares them: Hangfire's
    /// distributed locks and queue fetches then run each recurring occurrence and each background job once across the cluster.
    /// </summary>
    private static PostgreSqlStorage CreatePostgreSqlStorage(IConfiguration configuration)
    {
        if (DataSetup.ProviderOf(configuration) != DatabaseProvider.Postgres)
            throw new InvalidOperationException($"{StorageSetting} = PostgreSql needs {DataSetup.ProviderSetting} = Postgres: it shares Fleet's PostgreSQL database.");
        var connectionString = configuration.GetConnectionString("Fleet")!;
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = PostgreSqlSchema,
            // Enqueued work (retries, job continuations) starts within a second, as scheduled work does.
            QueuePollInterval = TimeSpan.FromSeconds(1),
            PrepareSchemaIfNecessary = true,
        };
        // Instances starting together would otherwise race to create the same schema; one creates it, the others find it.
        using var installLock = new NpgsqlConnection(connectionString);
        installLock.Open();
        using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({SchemaLockKey})", installLock)) take.ExecuteNonQuery();
        try
        {
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        }
        finally
        {
            using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({SchemaLockKey})", installLock);
            release.ExecuteNonQuery();
        }
    }

    public static IEndpointRouteBuilder MapFleetJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminOnlyDashboardFilter()],
            DashboardTitle = "Fleet jobs",
            AppPath = "/",
        }, app.ServiceProvider.GetRequiredService<JobStorage>());
        return app;
    }

    private sealed class QuietLogProvider : ILogProvider
    {
        public ILog GetLogger(string name) => QuietLog.Instance;

        private sealed class QuietLog : ILog
        {
            public static readonly QuietLog Instance = new();
            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string> messageFunc, Exception exception) => false;
        }
    }

    private sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
