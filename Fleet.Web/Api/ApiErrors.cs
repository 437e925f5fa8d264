using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Fleet.Web.Api;

/// <summary>
/// Each API family answers errors in its own document's shape. This is the one place that knows
/// which shape a path gets, so the authentication layer (401/403) and the façades agree.
/// </summary>
public static class ApiErrors
{
    private static readonly string[] ApiPrefixes = ["/api", "/v0", "/v3"];

    public static bool IsApiPath(PathString path) =>
        ApiPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>The host-management family (seed 001) is a FastAPI service: errors are <c>{"detail": "..."}</c>.</summary>
    public static object Detail(string message) => new { detail = message };

    /// <summary>The error body a family's document shows, for a path of that family.</summary>
    public static object ShapeFor(PathString path, string message, int status = StatusCodes.Status500InternalServerError) =>
        path.StartsWithSegments("/v0", StringComparison.OrdinalIgnoreCase) ? new { code = status, message, content = (object?)null } :
        path.StartsWithSegments(AgentInvocations.AgentInvocationsApi.Prefix, StringComparison.OrdinalIgnoreCase)
            ? AgentInvocations.TaskErrorBody.ForStatus(status, message) :
        path.StartsWithSegments("/api/job_invocations", StringComparison.OrdinalIgnoreCase) ||
        path.StartsWithSegments("/api/job_templates", StringComparison.OrdinalIgnoreCase) ||
        path.StartsWithSegments("/api/bookmarks", StringComparison.OrdinalIgnoreCase)
            ? new { error = new { message } }
            : Detail(message);

    /// <summary>
    /// An API error answered without a body — no route matched the path, or the method is not allowed —
    /// still gets the family's shape, so clients can always parse an error.
    /// </summary>
    public static IApplicationBuilder UseApiStatusCodeBodies(this IApplicationBuilder app) =>
        app.UseWhen(context => IsApiPath(context.Request.Path), branch => branch.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var message = ReasonPhrases.GetReasonPhrase(context.Response.StatusCode);
            await context.Response.WriteAsJsonAsync(ShapeFor(context.Request.Path, message.Length == 0 ? "Error" : message, context.Response.StatusCode));
        }));

    public static Task WriteAuthErrorAsync(HttpContext context, int status)
    {
        var message = status switch
        {
            StatusCodes.Status401Unauthorized => "Not authenticated: send a valid API token as 'Authorization: Bearer <token>'.",
            StatusCodes.Status429TooManyRequests => "Too many rejected API tokens from this address; try again later.",
            _ => "Your role does not allow this operation.",
        };
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(ShapeFor(context.Request.Path, message, status));
    }

    /// <summary>An error in the family's shape for an API path, plain text for anything else (the dashboard, the login form).</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        // The rest of a refused body is never read, so the connection cannot carry another request: say so,
        // or a client reusing it finds it closed under its next request.
        if (status == StatusCodes.Status413PayloadTooLarge) context.Response.Headers.Connection = "close";
        if (IsApiPath(context.Request.Path))
            await context.Response.WriteAsJsonAsync(ShapeFor(context.Request.Path, message, status));
        else
            await context.Response.WriteAsync(message);
    }

    /// <summary>
    /// Last line of defence: an unexpected failure still answers in the API's shape and never leaks a stack trace.
    /// A request the server could not read (malformed or mistyped parameters, a body over the size limit) is the
    /// client's error, so it keeps its 400/413 instead of becoming a 500.
    /// </summary>
    public static Task WriteUnexpectedErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            var message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? RequestLimits.TooLargeMessage
                : $"The request could not be read: {bad.Message}";
            return WriteErrorAsync(context, bad.StatusCode, message);
        }
        return WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "The server could not complete this request; the error was logged.");
    }
}
