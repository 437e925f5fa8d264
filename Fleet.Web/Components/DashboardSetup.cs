using Fleet.Web.Api;
using MudBlazor.Services;

namespace Fleet.Web.Components;

public static class DashboardSetup
{
    public static IServiceCollection AddFleetDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Registered after the framework's own provider so this one wins: circuits re-check their session.
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, Security.RevalidatingSessionStateProvider>();
        services.AddMudServices();
        return services;
    }

    /// <summary>Call before authentication: unknown dashboard URLs re-execute as the not-found page (API paths keep their JSON 404s).</summary>
    public static IApplicationBuilder UseFleetDashboardErrors(this IApplicationBuilder app) =>
        app.UseWhen(context => !ApiErrors.IsApiPath(context.Request.Path) && !context.Request.Path.StartsWithSegments("/hubs"),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found"));

    public static IEndpointRouteBuilder MapFleetDashboard(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
