using System.Security.Claims;
using Fleet.Web.Audit;
using Fleet.Web.Data;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Web.Api;

/// <summary>Dashboard sign-in and sign-out: plain form posts, so the cookie is set on a real HTTP response. Both need the antiforgery token.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account").ExcludeFromDescription();
        // Form-bound parameters make the framework validate the antiforgery token for sign-in.
        account.MapPost("/login", SignIn).AllowAnonymous().RequireRateLimiting(SecuritySetup.LoginRateLimitPolicy);
        account.MapPost("/logout", SignOut).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }

    public static async Task<IResult> SignIn(
        HttpContext context,
        [FromForm] string? username,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        SignInService signIn)
    {
        var target = SafeReturnUrl(returnUrl);
        var (outcome, user) = await signIn.CheckAsync(username, password, ClientAddress.Of(context), context.RequestAborted);
        if (outcome != SignInOutcome.Success || user is null)
            return TypedResults.LocalRedirect($"/login?error=1&returnUrl={Uri.EscapeDataString(target)}");

        var identity = SessionValidator.Identity(user, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.LocalRedirect(target);
    }

    public static async Task<IResult> SignOut(HttpContext context, IAuditLog audit, ILogger<UserRecord> logger)
    {
        // Without form parameters the framework records the antiforgery check but leaves acting on it to the endpoint.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            return TypedResults.BadRequest("The sign-out form's antiforgery token is missing or invalid.");
        var name = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "" : AuditActorKinds.Anonymous;
        logger.LogInformation("User {User} signed out", name);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        await audit.RecordAsync(new AuditEntry(name, AuditActorKinds.User, AuditSources.Dashboard, "sign-out", name, ClientAddress.Of(context), AuditOutcomes.Success));
        return TypedResults.LocalRedirect("/login");
    }

    /// <summary>Only local paths, so the login form cannot be used to bounce users to another site.</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
