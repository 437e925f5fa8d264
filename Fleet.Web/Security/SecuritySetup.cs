using Fleet.Domain.Security;
using Fleet.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Fleet.Web.Security;

public static class SecuritySetup
{
    public const string SmartScheme = "Fleet";

    public static IServiceCollection AddFleetSecurity(this IServiceCollection services)
    {
        services.AddSingleton<AccountAdmin>();
        services.AddSingleton<IAccountAdmin>(sp => sp.GetRequiredService<AccountAdmin>());
        services.AddSingleton<TokenUsageRecorder>();
        services.AddSingleton<SensitiveValues>();
        services.AddHostedService<SecurityBootstrap>();

        services.AddAuthentication(SmartScheme)
            // One default scheme: a request that carries a token is an API client, anything else a browser.
            .AddPolicyScheme(SmartScheme, SmartScheme, options =>
                options.ForwardDefaultSelector = context =>
                    ApiTokenAuthenticationHandler.ReadToken(context.Request) is null
                        ? CookieAuthenticationDefaults.AuthenticationScheme
                        : ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, _ => { })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, options =>
            {
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/access-denied";
                options.Cookie.Name = "fleet.auth";
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                // API callers without a token get the API's own 401/403, never a redirect to a login page.
                options.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, p => p.RequireRole(Roles.Viewer))
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();
        return services;
    }

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (!ApiErrors.IsApiPath(context.Request.Path))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        return ApiErrors.WriteAuthErrorAsync(context.HttpContext, status);
    }
}
