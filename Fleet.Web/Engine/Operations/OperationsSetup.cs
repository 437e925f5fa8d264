using Fleet.Web.Engine.Operations.Notifications;
using Fleet.Web.Jobs;

namespace Fleet.Web.Engine.Operations;

public static class OperationsSetup
{
    public static IServiceCollection AddFleetOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NotificationOptions>(configuration.GetSection("Fleet:Notifications"));
        services.Configure<SmtpOptions>(configuration.GetSection("Fleet:Smtp"));
        WebhookSender.Register(services);
        services.AddSingleton<EmailSender>();
        services.AddSingleton<OperationNotifier>();
        services.AddSingleton<HeadlessOperationService>();
        services.AddSingleton<IHeadlessOperations>(sp => sp.GetRequiredService<HeadlessOperationService>());
        services.AddSingleton<OperationStatusRefresher>();
        services.AddTransient<HeadlessOperationJobs>();
        services.AddHostedService<OperationRunWatcher>();
        // After the start-up reconciler (registered earlier), which writes the built-in templates the operations run.
        services.AddHostedService<OperationsReconciler>();
        return services;
    }

    private sealed class OperationsReconciler(HeadlessOperationService operations) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => operations.ReconcileAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
