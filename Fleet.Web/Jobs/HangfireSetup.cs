using Fleet.Domain.Security;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.Logging;

namespace Fleet.Web.Jobs;

public static class HangfireSetup
{
    public static IServiceCollection AddFleetJobs(this IServiceCollection services, IConfiguration configuration)
    {
        // Hangfire keeps its log provider in a static. Several hosts in one process (the tests) would
        // leave it pointing at a disposed logger factory; they opt into a provider that holds nothing.
        if (configuration.GetValue("Fleet:Jobs:QuietHangfireLogs", false)) services.AddSingleton<ILogProvider, QuietLogProvider>();
        // This host's own storage, registered before AddHangfire so DI never falls back to the static
        // JobStorage.Current (several hosts in one process — the tests — would otherwise share or lose it).
        // Created on first use, after this host's Hangfire configuration (and log provider) is in place.
        services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>();
            return new InMemoryStorage();
        });
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
