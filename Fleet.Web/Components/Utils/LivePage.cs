using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;

namespace Fleet.Web.Components.Utils;

/// <summary>
/// A page that follows the live event stream: once interactive it subscribes, turns each batch of events that
/// concerns it into one throttled refresh that runs through the renderer (<c>InvokeAsync</c>) and re-renders,
/// and stops listening when disposed. <see cref="PageClosed"/> also cancels the page's own calls.
/// </summary>
public abstract class LivePage : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private CallbackThrottler? _throttler;
    private int _refreshRequests;

    [Inject] private IFleetEvents Events { get; set; } = default!;
    [Inject] private ILoggerFactory Loggers { get; set; } = default!;

    /// <summary>Cancelled when the page is disposed.</summary>
    protected CancellationToken PageClosed => _closed.Token;

    /// <summary>How many event batches concerned this page (each asked for a refresh); tests read it to see what a page ignores.</summary>
    public int RefreshRequests => Volatile.Read(ref _refreshRequests);

    /// <summary>
    /// Starts following the stream; does nothing when prerendering, which builds a throwaway instance.
    /// <paramref name="refresh"/> runs at most once per <paramref name="interval"/>, the last change never lost.
    /// </summary>
    protected void FollowLiveEvents(string page, Func<FleetEvent, bool> concerns, TimeSpan interval, Func<Task> refresh)
    {
        if (!RendererInfo.IsInteractive || _throttler is not null) return;
        var logger = Loggers.CreateLogger(GetType());
        _throttler = new CallbackThrottler(() => InvokeAsync(async () =>
        {
            if (_closed.IsCancellationRequested) return;
            await refresh();
            StateHasChanged();
        }), interval, error => logger.LogWarning(error, "Refreshing {Page} failed", page));
        _ = ListenAsync(page, concerns, _throttler, logger, _closed.Token);
    }

    /// <summary>Runs until the page is disposed; a failure is logged, never thrown into the circuit.</summary>
    private async Task ListenAsync(string page, Func<FleetEvent, bool> concerns, CallbackThrottler throttler, ILogger logger, CancellationToken ct)
    {
        try
        {
            await foreach (var batch in Events.SubscribeAsync(ct).WithCancellation(ct))
            {
                if (!batch.Any(concerns)) continue;
                Interlocked.Increment(ref _refreshRequests);
                throttler.Request();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            logger.LogError(error, "{Page} stopped receiving live updates", page);
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        _throttler?.Dispose();
        _closed.Dispose();
        GC.SuppressFinalize(this);
    }
}
