using System.Security.Claims;
using Fleet.Web.Data;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Api;

/// <summary>Dashboard sign-in and sign-out: plain form posts, so the cookie is set on a real HTTP response.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account").ExcludeFromDescription();
        account.MapPost("/login", SignIn).AllowAnonymous();
        account.MapPost("/logout", SignOut);
        return app;
    }

    public static async Task<IResult> SignIn(
        HttpContext context,
        [FromForm] string? username,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        IDbContextFactory<FleetDbContext> dbFactory)
    {
        var target = SafeReturnUrl(returnUrl);
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var name = (username ?? "").Trim();
        var user = name.Length == 0 ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == name, context.RequestAborted);
        if (user is null || !Secrets.VerifyPassword(password ?? "", user.PasswordHash))
            return TypedResults.LocalRedirect($"/login?error=1&returnUrl={Uri.EscapeDataString(target)}");

        var identity = FleetClaims.Identity(user.Username, user.Role, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.LocalRedirect(target);
    }

    public static async Task<IResult> SignOut(HttpContext context, ILogger<UserRecord> logger)
    {
        logger.LogInformation("User {User} signed out", context.User.Identity?.Name);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/login");
    }

    /// <summary>Only local paths, so the login form cannot be used to bounce users to another site.</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
