using Fleet.Web.Engine;

namespace Fleet.Web.Components.Utils;

/// <summary>How every live page listens: a batch of events that concerns the page asks its throttler for one refresh.</summary>
public static class LiveRefresh
{
    /// <summary>Runs until <paramref name="ct"/> is cancelled (the page is disposed); a failure is logged, never thrown into the circuit.</summary>
    public static async Task RefreshOnAsync(this IFleetEvents events, Func<FleetEvent, bool> concerns, CallbackThrottler? throttler,
        ILogger logger, string page, CancellationToken ct)
    {
        try
        {
            await foreach (var batch in events.SubscribeAsync(ct).WithCancellation(ct))
                if (batch.Any(concerns)) throttler?.Request();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            logger.LogError(error, "{Page} stopped receiving live updates", page);
        }
    }
}
