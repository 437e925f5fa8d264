using Fleet.Domain;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Api;

public static class RequestLimits
{
    public const string TooLargeMessage = "The request body is too large.";

    /// <summary>
    /// Caps every body at <see cref="LimitOptions.MaxRequestBytes"/>: a declared length over the cap is refused
    /// before anything reads it; a chunked body is cut off by Kestrel while it is read, and that failure
    /// reaches <see cref="ApiErrors.WriteUnexpectedErrorAsync"/>, which answers 413 too.
    /// </summary>
    public static IApplicationBuilder UseFleetRequestLimits(this IApplicationBuilder app)
    {
        var defaultMax = app.ApplicationServices.GetRequiredService<IOptions<LimitOptions>>().Value.MaxRequestBytes;
        var packageMax = app.ApplicationServices.GetRequiredService<IOptions<Engine.AgentPackages.AgentPackageOptions>>().Value.MaxPackageBytes;
        return app.Use(async (context, next) =>
        {
            // Hub connections (WebSockets, or long polling posts) are governed by each hub's message size instead.
            if (!context.Request.Path.StartsWithSegments("/hubs"))
            {
                var max = context.GetEndpoint()?.Metadata.GetMetadata<AgentPackagesApi.PackageSizeLimit>() is null ? defaultMax : packageMax;
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = max;
                if (context.Request.ContentLength > max)
                {
                    await ApiErrors.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"{TooLargeMessage} The limit is {max} bytes.");
                    return;
                }
            }
            await next(context);
        });
    }
}
