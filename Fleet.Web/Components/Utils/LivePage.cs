using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;

namespace Fleet.Web.Components.Utils;

/// <summary>
/// A page that follows the live event stream: once interactive it subscribes, turns each batch of events that
/// concerns it into one throttled refresh that runs through the renderer (<c>InvokeAsync</c>) and re-renders,
/// and stops listening when disposed. <see cref="PageClosed"/> also cancels the page's own calls.
/// </summary>
/// <remarks>
/// The subscription starts before the page's first lifecycle method, not when the page calls
/// <see cref="FollowLiveEvents"/> after its first read: a change that lands while the page is reading (a one-host
/// job that finishes in milliseconds) would otherwise be published to nobody, and the page would show the state it
/// read until the next unrelated event. Events that arrive before the page says what concerns it are held and
/// judged once it does.
/// </remarks>
public abstract class LivePage : ComponentBase, IAsyncDisposable
{
    // Beyond this many early events the page simply refreshes once instead of judging each.
    private const int EarlyEventLimit = 10_000;

    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _gate = new();
    private List<FleetEvent>? _early;
    private bool _earlyOverflowed;
    private Func<FleetEvent, bool>? _concerns;
    private CallbackThrottler? _throttler;
    private ILogger? _logger;
    private int _refreshRequests;

    [Inject] private IFleetEvents Events { get; set; } = default!;
    [Inject] private ILoggerFactory Loggers { get; set; } = default!;

    /// <summary>Cancelled when the page is disposed.</summary>
    protected CancellationToken PageClosed => _closed.Token;

    /// <summary>How many event batches concerned this page (each asked for a refresh); tests read it to see what a page ignores.</summary>
    public int RefreshRequests => Volatile.Read(ref _refreshRequests);

    public override Task SetParametersAsync(ParameterView parameters)
    {
        if (RendererInfo.IsInteractive && _logger is null)
        {
            _logger = Loggers.CreateLogger(GetType());
            _early = [];
            _ = ListenAsync(_logger, _closed.Token);
        }
        return base.SetParametersAsync(parameters);
    }

    /// <summary>
    /// Says which events concern the page and how to refresh it; does nothing when prerendering, which builds a
    /// throwaway instance. <paramref name="refresh"/> runs at most once per <paramref name="interval"/>, the last
    /// change never lost. If a concerning event arrived since the page started, one refresh is asked for at once.
    /// </summary>
    protected void FollowLiveEvents(string page, Func<FleetEvent, bool> concerns, TimeSpan interval, Func<Task> refresh)
    {
        if (_logger is null || _throttler is not null) return;
        var logger = _logger;
        var throttler = new CallbackThrottler(() => InvokeAsync(async () =>
        {
            if (_closed.IsCancellationRequested) return;
            await refresh();
            StateHasChanged();
        }), interval, error => logger.LogWarning(error, "Refreshing {Page} failed", page));
        bool missed;
        lock (_gate)
        {
            missed = _earlyOverflowed || _early!.Any(concerns);
            _early = null;
            _concerns = concerns;
            _throttler = throttler;
        }
        if (missed) RequestRefresh(throttler);
    }

    private void RequestRefresh(CallbackThrottler throttler)
    {
        Interlocked.Increment(ref _refreshRequests);
        throttler.Request();
    }

    /// <summary>Runs until the page is disposed; a failure is logged, never thrown into the circuit.</summary>
    private async Task ListenAsync(ILogger logger, CancellationToken ct)
    {
        try
        {
            await foreach (var batch in Events.SubscribeAsync(ct).WithCancellation(ct))
            {
                CallbackThrottler? throttler;
                lock (_gate)
                {
                    throttler = _throttler;
                    if (throttler is null)
                    {
                        if (_early!.Count + batch.Count > EarlyEventLimit) _earlyOverflowed = true;
                        else _early.AddRange(batch);
                        continue;
                    }
                }
                if (batch.Any(_concerns!)) RequestRefresh(throttler);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            logger.LogError(error, "A live page stopped receiving live updates");
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
