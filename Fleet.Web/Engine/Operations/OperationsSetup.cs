using Fleet.Web.Jobs;

namespace Fleet.Web.Engine.Operations;

public static class OperationsSetup
{
    public static IServiceCollection AddFleetOperations(this IServiceCollection services)
    {
        services.AddSingleton<HeadlessOperationService>();
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
