using Fleet.Domain.Security;
using Hangfire;
using Hangfire.Dashboard;

namespace Fleet.Web.Jobs;

public static class HangfireSetup
{
    public static IServiceCollection AddFleetJobs(this IServiceCollection services)
    {
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage());
        // Scheduled work must start within seconds of its time, not on Hangfire's default 15 s poll.
        services.AddHangfireServer(options =>
        {
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            options.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
        });
        services.AddTransient<HostSweepJob>();
        services.AddTransient<InventoryRefreshJob>();
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
        });
        return app;
    }

    private sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
