namespace Fleet.Web.Components.Utils;

/// <summary>
/// Runs a callback at most once per interval however often it is requested. The first request runs
/// at once; requests that arrive while a run is due or in progress are coalesced into one trailing
/// run, so the last change is never lost. Safe to call from any thread.
/// </summary>
public sealed class CallbackThrottler : IDisposable
{
    private readonly Func<Task> _callback;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Action<Exception>? _onError;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private bool _running;
    private bool _pending;
    private long? _lastStart;

    public CallbackThrottler(Func<Task> callback, TimeSpan interval, Action<Exception>? onError = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _callback = callback;
        _interval = interval;
        _onError = onError;
        _time = timeProvider ?? TimeProvider.System;
    }

    public void Request()
    {
        CancellationToken token;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested) return;
            if (_running)
            {
                _pending = true;
                return;
            }
            _running = true;
            token = _disposed.Token;
        }
        _ = Task.Run(() => RunAsync(token));
    }

    private async Task RunAsync(CancellationToken token)
    {
        while (true)
        {
            var wait = TimeUntilNextRun();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            lock (_lock)
            {
                if (token.IsCancellationRequested) return;
                // This run covers every request made so far.
                _pending = false;
                _lastStart = _time.GetTimestamp();
            }

            try
            {
                await _callback().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _onError?.Invoke(ex);
            }

            lock (_lock)
            {
                if (!_pending || token.IsCancellationRequested)
                {
                    _running = false;
                    return;
                }
            }
        }
    }

    private TimeSpan TimeUntilNextRun()
    {
        lock (_lock)
        {
            if (_lastStart is not { } last) return TimeSpan.Zero;
            return _interval - _time.GetElapsedTime(last);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested) return;
            _disposed.Cancel();
        }
        _disposed.Dispose();
    }
}
