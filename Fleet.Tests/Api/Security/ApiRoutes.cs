using Fleet.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Api.Security;

/// <summary>One REST route as the running server maps it: the method and the route pattern, e.g. <c>GET /api/job_invocations/{id}</c>.</summary>
public sealed record ApiRoute(string Method, string Pattern, IReadOnlyList<string> Parameters)
{
    public string Key => $"{Method} {Pattern}";

    public override string ToString() => Key;

    /// <summary>The pattern with each parameter replaced by the value <paramref name="valueOf"/> gives (already escaped for a URL).</summary>
    public string Path(Func<string, string> valueOf) =>
        Parameters.Aggregate(Pattern, (path, name) => path.Replace("{" + name + "}", valueOf(name)));
}

public static class ApiRoutes
{
    private static readonly string[] Prefixes = ["/api", "/v0", "/v3"];

    /// <summary>Every route endpoint of the REST API families, read from the app's own endpoint list, so no route is missed.</summary>
    public static IReadOnlyList<ApiRoute> All(FleetServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Pattern: "/" + (e.RoutePattern.RawText ?? "").Trim('/')))
            .Where(e => Prefixes.Any(p => e.Pattern.Equals(p, StringComparison.OrdinalIgnoreCase) || e.Pattern.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase)))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => new ApiRoute(method, e.Pattern, e.Endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList())))
            .DistinctBy(r => r.Key)
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
}
