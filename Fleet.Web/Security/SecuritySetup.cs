using System.Threading.RateLimiting;
using Fleet.Domain.Security;
using Fleet.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Security;

public static class SecuritySetup
{
    public const string SmartScheme = "Fleet";
    public const string LoginRateLimitPolicy = "login";

    public static IServiceCollection AddFleetSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SecurityOptions>(configuration.GetSection(SecurityOptions.Section));
        services.Configure<BootstrapOptions>(configuration.GetSection(BootstrapOptions.Section));
        services.AddMemoryCache();
        services.AddSingleton<AccountAdmin>();
        services.AddSingleton<IAccountAdmin>(sp => sp.GetRequiredService<AccountAdmin>());
        services.AddSingleton<TokenUsageRecorder>();
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<ApiAuthFailureLimiter>();
        services.AddSingleton<SensitiveValues>();
        services.AddHostedService<SecurityBootstrap>();

        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, SmartScheme, options =>
                options.ForwardDefaultSelector = context => SchemeFor(context.Request))
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, _ => { })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, options =>
            {
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/access-denied";
                options.Cookie.Name = "fleet.auth";
                options.Cookie.HttpOnly = true;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, p => p.RequireRole(Roles.Viewer))
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginRateLimitPolicy, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.LoginRateLimit;
                return RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, limit.PermitLimit),
                    Window = TimeSpan.FromSeconds(Math.Max(1, limit.WindowSeconds)),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ValueTask(context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address; try again in a minute."));
            };
        });
        return services;
    }

    /// <summary>
    /// The REST API and the live hub are for integrations and take tokens only: ignoring the cookie there is
    /// what stops another site from writing through a signed-in browser (a cross-site form post carries the
    /// cookie but can never add a token header). Everything else is the dashboard and uses the cookie.
    /// </summary>
    public static string SchemeFor(HttpRequest request)
    {
        if (ApiErrors.IsApiPath(request.Path) || request.Path.StartsWithSegments(Hubs.LiveHub.Path)) return ApiTokenAuthenticationHandler.SchemeName;
        // Agents prove themselves inside the hub's hello; whatever they send is never an API token to check (or to count as a failure).
        if (request.Path.StartsWithSegments(Fleet.Domain.Agents.AgentHubMethods.Path)) return CookieAuthenticationDefaults.AuthenticationScheme;
        return ApiTokenAuthenticationHandler.ReadToken(request) is not null
            ? ApiTokenAuthenticationHandler.SchemeName
            : CookieAuthenticationDefaults.AuthenticationScheme;
    }

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
        if (context.Principal is not null && await sessions.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
