using Fleet.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fleet.Web.Health;

/// <summary>
/// Probes for load balancers and service managers. <c>/healthz</c> answers 200 while the process lives and lists what it can
/// reach (the database, and Redis when configured); <c>/readyz</c> answers 503 when any of them is unreachable, so a load
/// balancer routes on it. Both are anonymous and say nothing beyond the status and the check names.
/// </summary>
public static class HealthSetup
{
    public const string ReadyTag = "ready";

    /// <summary>Liveness: 200 whatever the checks say; a restart would not bring the database back.</summary>
    private static readonly Dictionary<HealthStatus, int> AlwaysOk = new()
    {
        [HealthStatus.Healthy] = StatusCodes.Status200OK,
        [HealthStatus.Degraded] = StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = StatusCodes.Status200OK,
    };

    public static IServiceCollection AddFleetHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapFleetHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteAsync, ResultStatusCodes = AlwaysOk })
            .AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant()),
        });
}

public sealed class DatabaseHealthCheck(IDbContextFactory<FleetDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // A real round trip: CanConnect on SQLite only opens the file.
            await db.Hosts.AsNoTracking().Select(h => h.Id).FirstOrDefaultAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}
