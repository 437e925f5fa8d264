using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fleet.Web.Audit;

public sealed class AuditOptions
{
    public const string Section = "Fleet:Audit";

    public int RetentionDays { get; set; } = 90;
}

public static class AuditSetup
{
    public static IServiceCollection AddFleetAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuditOptions>(configuration.GetSection(AuditOptions.Section));
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddHttpContextAccessor();
        services.AddScoped<DashboardClient>();
        services.AddScoped<IDashboardAudit, DashboardAudit>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, DashboardClientCapture>());
        return services;
    }
}
