namespace Fleet.Web.Components;

/// <summary>Placeholder until the dashboard components land.</summary>
public static class DashboardSetup
{
    public static IServiceCollection AddFleetDashboard(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapFleetDashboard(this IEndpointRouteBuilder app) => app;
}
