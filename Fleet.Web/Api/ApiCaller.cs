using System.Security.Claims;

namespace Fleet.Web.Api;

public static class ApiCaller
{
    /// <summary>
    /// Who made the request, as the engine records it (owner, cancelled by, initiated by): the API token's
    /// or the user's name. Every API route requires authentication, so the fallback only names a principal
    /// without a name claim.
    /// </summary>
    public static string ActorName(this HttpContext context) => context.User.Identity?.Name ?? "api";
}
