using Fleet.Web.Api;
using Fleet.Web.Api.AgentInvocations;
using Fleet.Web.Api.HostManagement;
using Fleet.Web.Api.JobInvocations;
using Fleet.Web.Api.HeadlessOperations;
using Fleet.Web.Api.StageRuns;
using Fleet.Web.Audit;
using Fleet.Web.Cluster;
using Fleet.Web.Components;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;
using Fleet.Web.Health;
using Fleet.Web.Hubs;
using Fleet.Web.Jobs;
using Fleet.Web.Security;
using Scalar.AspNetCore;

namespace Fleet.Web;

/// <summary>Everything Program.cs wires, in one readable place.</summary>
public static class FleetSetup
{
    public static WebApplicationBuilder AddFleet(this WebApplicationBuilder builder)
    {
        // Serve MudBlazor's and Blazor's own files from the build output in every environment, not only
        // Development, so `dotnet run` and the tests get a working dashboard; a published app ignores it.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton(TimeProvider.System);
        services.Configure<AgentOptions>(configuration.GetSection("Fleet:Agents"));
        services.Configure<LimitOptions>(configuration.GetSection("Fleet:Limits"));
        services.Configure<Engine.AgentPackages.AgentPackageOptions>(configuration.GetSection(Engine.AgentPackages.AgentPackageOptions.Section));
        // A parameter that does not bind (wrong type, malformed JSON) throws, so the exception handler can
        // answer it in the family's error shape instead of an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddFleetData(configuration);
        services.AddFleetSecurity(configuration);
        services.AddFleetAudit(configuration);
        services.AddFleetCluster(configuration);
        services.AddFleetJobs(configuration);

        services.AddSingleton<FleetEventStream>();
        services.AddSingleton<IFleetEvents>(sp => sp.GetRequiredService<FleetEventStream>());
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<AgentSender>();
        services.AddSingleton<AgentGateway>();
        services.AddSingleton<EnrollmentTokens>();
        services.AddSingleton<IEnrollmentTokenAdmin>(sp => sp.GetRequiredService<EnrollmentTokens>());
        services.AddSingleton<LocalAgentIdentity>();
        services.AddSingleton<HeartbeatRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatRecorder>());
        services.AddHostedService<MemoryTrimmer>();
        services.AddSingleton<FleetReader>();
        services.AddSingleton<IFleetReader>(sp => sp.GetRequiredService<FleetReader>());
        services.AddSingleton<Engine.Overview.IOverviewReader, Engine.Overview.OverviewReader>();
        services.AddSingleton<Engine.Execution.RunOutcomes>();
        services.AddSingleton<Engine.Execution.ResultWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<Engine.Execution.ResultWriter>());
        services.AddSingleton<Engine.Execution.ExecutionEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<Engine.Execution.ExecutionEngine>());
        services.AddSingleton<Engine.Execution.IInvocationKicker>(sp => sp.GetRequiredService<Engine.Execution.ExecutionEngine>());
        services.AddSingleton<Engine.Execution.LostAgentSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<Engine.Execution.LostAgentSweep>());
        services.AddSingleton<KeyedLocks>();
        services.AddSingleton<Engine.Execution.InvocationService>();
        services.AddSingleton<IInvocationService>(sp => sp.GetRequiredService<Engine.Execution.InvocationService>());
        services.AddSingleton<IInvocationCommands>(sp => sp.GetRequiredService<Engine.Execution.InvocationService>());
        services.AddSingleton<IInvocationQueries>(sp => sp.GetRequiredService<Engine.Execution.InvocationService>());
        services.AddSingleton<IInvocationOutput>(sp => sp.GetRequiredService<Engine.Execution.InvocationService>());
        services.AddSingleton<IJobTemplates, Engine.Execution.JobTemplates>();
        services.AddSingleton<IBookmarks, Engine.Execution.Bookmarks>();
        services.AddSingleton<IRolloutService, Engine.Execution.RolloutService>();
        services.AddSingleton<ITargetRunService, Engine.Execution.TargetRunService>();
        services.AddTransient<Engine.Execution.InvocationJobs>();
        services.AddSingleton<Engine.Execution.CommandRunner>();
        services.AddSingleton<LiveSubscriptions>();
        services.AddHostedService<LivePublisher>();
        services.Configure<Engine.Orchestration.OrchestrationOptions>(configuration.GetSection("Fleet:Orchestration"));
        services.Configure<Engine.Orchestration.LicenseOptions>(configuration.GetSection(Engine.Orchestration.LicenseOptions.Section));
        services.AddSingleton<Engine.Orchestration.IPowerService, Engine.Orchestration.PowerService>();
        services.AddSingleton<Engine.Orchestration.RebootOrchestrator>();
        services.AddHostedService(sp => sp.GetRequiredService<Engine.Orchestration.RebootOrchestrator>());
        services.AddSingleton<Engine.Orchestration.RebootOrchestrationService>();
        services.AddSingleton<Engine.Orchestration.IRebootOrchestrations>(sp => sp.GetRequiredService<Engine.Orchestration.RebootOrchestrationService>());
        services.AddFleetOperations(configuration);
        services.AddSingleton<Engine.AgentMaintenance.InstallTickets>();
        services.AddSingleton<Engine.AgentMaintenance.AgentMaintenanceService>();
        services.AddSingleton<Engine.AgentMaintenance.IAgentMaintenance>(sp => sp.GetRequiredService<Engine.AgentMaintenance.AgentMaintenanceService>());
        services.AddHostedService<Engine.AgentMaintenance.AgentMaintenanceWatcher>();
        services.AddSingleton<HostOperations>();
        services.AddSingleton<IHostOperations>(sp => sp.GetRequiredService<HostOperations>());
        var localAgent = configuration.GetSection(LocalAgentOptions.Section);
        services.Configure<LocalAgentOptions>(localAgent);
        if (localAgent.Get<LocalAgentOptions>()?.Enabled ?? true) services.AddHostedService<LocalAgentService>();

        services.AddSignalR(options =>
        {
            options.KeepAliveInterval = TimeSpan.FromSeconds(15);
            options.ClientTimeoutInterval = TimeSpan.FromSeconds(60);
        }).AddHubOptions<AgentHub>(options =>
        {
            // A full inventory (thousands of packages) is one message.
            options.MaximumReceiveMessageSize = 32 * 1024 * 1024;
        }).AddHubOptions<LiveHub>(options =>
        {
            // Clients only send join and leave calls, each a few dozen bytes.
            options.MaximumReceiveMessageSize = 32 * 1024;
        }).AddFleetBackplane(configuration);
        services.AddAntiforgery();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddFleetHealth();
        services.AddFleetDashboard();
        return builder;
    }

    public static async Task<WebApplication> MapFleetAsync(this WebApplication app)
    {
        await app.Services.MigrateFleetDatabaseAsync();
        app.Services.GetRequiredService<SensitiveValues>().EnsureKey();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = ApiErrors.WriteUnexpectedErrorAsync,
            // A request the client got wrong (unreadable parameter, body over the limit) is answered 400/413, not
            // logged as a server error: garbage sent on purpose must not flood the log.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseFleetDashboardErrors();
        // Routing after the status-code pages, so a re-executed request (an unknown dashboard address → /not-found) is
        // routed again; with the implicit routing at the very start it kept its empty endpoint and answered a blank 404.
        // Before the request limits, which read the route's own body limit (agent package uploads).
        app.UseRouting();
        app.UseFleetRequestLimits();
        app.UseApiStatusCodeBodies();
        app.UseAuthentication();
        // After authentication, so each record names who acted; around authorization, so refusals are recorded too.
        app.UseMiddleware<AuditMiddleware>();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOpenApi();
        // An interactive reference over the same OpenAPI document, served from the app itself (no CDN).
        app.MapScalarApiReference("/api-docs", options => options.WithTitle("Fleet API")).ExcludeFromDescription();
        app.MapFleetHealth();
        AgentConnectionGate.Map(app, Fleet.Domain.Agents.AgentHubMethods.Path);
        app.MapHub<LiveHub>(LiveHub.Path);
        app.MapAccountApi();
        app.MapAuditApi();
        app.MapAgentPackagesApi();
        app.MapHostManagementApi();
        app.MapJobInvocationsApi();
        app.MapForemanTemplatesApi();
        app.MapHostCommandsApi();
        app.MapRebootOrchestrationApi();
        app.MapStageRunsApi();
        app.MapHeadlessOperationsApi();
        app.MapAgentInvocationsApi();
        app.MapFleetJobsDashboard();
        app.MapFleetDashboard();
        return app;
    }
}
