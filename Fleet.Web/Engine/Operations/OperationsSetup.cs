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

    private sealed class OperationsReconciler(HeadlessOperationService operations, OperationNotifier notifier, ILogger<OperationsReconciler> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var due = await operations.ReconcileAsync(cancellationToken);
            // Told beside the start-up: a slow webhook must not hold the server back. The notifier tells each occurrence once.
            if (due.Count > 0) _ = Task.Run(() => NotifyAsync(due));
        }

        private async Task NotifyAsync(IReadOnlyList<(long OperationId, int Occurrence)> due)
        {
            foreach (var (operationId, occurrence) in due)
            {
                try
                {
                    await notifier.NotifyAsync(operationId, occurrence);
                }
                catch (Exception error)
                {
                    logger.LogError(error, "Could not notify about headless operation {Operation} after the restart", operationId);
                }
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
