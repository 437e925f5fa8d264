using Fleet.Web.Api;
using Fleet.Web.Security;

namespace Fleet.Web.Audit;

/// <summary>
/// Records every state-changing API request (anything but GET, HEAD and OPTIONS): who, the route
/// pattern and its values, from where, and the status it got. Bodies are never read, so no secret
/// value can reach the log.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, IAuditLog audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!ApiErrors.IsApiPath(context.Request.Path) || HttpMethods.IsGet(context.Request.Method)
            || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }

        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            await audit.RecordAsync(Entry(context, status));
        }
    }

    private static AuditEntry Entry(HttpContext context, int status)
    {
        var user = context.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        var kind = !authenticated ? AuditActorKinds.Anonymous
            : user.HasClaim(c => c.Type == FleetClaims.TokenId) ? AuditActorKinds.Token
            : AuditActorKinds.User;
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var action = $"{context.Request.Method} {(pattern is null ? context.Request.Path.ToString() : "/" + pattern.TrimStart('/'))}";
        var target = string.Join(", ", context.Request.RouteValues.Select(v => $"{v.Key}={v.Value}"));
        var outcome = status < 400 ? AuditOutcomes.Success : AuditOutcomes.Error($"HTTP {status}");
        return new AuditEntry(authenticated ? user.Identity!.Name ?? "" : AuditActorKinds.Anonymous, kind, AuditSources.Api, action, target,
            ClientAddress.Of(context), outcome, status);
    }
}
