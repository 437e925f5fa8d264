using System.Collections.Concurrent;
using System.Diagnostics;
using Fleet.Web.Components.Utils;

namespace Fleet.Tests.Components.Utils;

/// <summary>Real-time behaviour, so every wait polls for the outcome instead of assuming how fast a busy machine is.</summary>
public sealed class CallbackThrottlerTests
{
    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(5)) throw new TimeoutException("The throttled callback did not run in time.");
            await Task.Delay(10);
        }
    }

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task FirstRequest_RunsImmediately()
    {
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var throttler = new CallbackThrottler(() => { ran.TrySetResult(); return Task.CompletedTask; }, TimeSpan.FromSeconds(10));

        throttler.Request();

        await ran.Task.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task BurstWithinTheInterval_CoalescesIntoOneTrailingCall()
    {
        var runs = 0;
        var firstRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var throttler = new CallbackThrottler(() =>
        {
            Interlocked.Increment(ref runs);
            firstRan.TrySetResult();
            return Task.CompletedTask;
        }, Interval);

        throttler.Request();
        await firstRan.Task.WaitAsync(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 50; i++) throttler.Request();
        await WaitForAsync(() => Volatile.Read(ref runs) >= 2);
        await Task.Delay(Interval * 2);

        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task RunsAreSpacedByAtLeastTheInterval()
    {
        var starts = new ConcurrentQueue<long>();
        using var throttler = new CallbackThrottler(() => { starts.Enqueue(Stopwatch.GetTimestamp()); return Task.CompletedTask; }, Interval);

        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < until)
        {
            throttler.Request();
            await Task.Delay(10);
        }
        await Task.Delay(Interval * 2);

        var times = starts.ToArray();
        // At least the first and a trailing run; at most one per interval over the second of requests.
        Assert.InRange(times.Length, 2, 7);
        for (var i = 1; i < times.Length; i++)
        {
            var gap = Stopwatch.GetElapsedTime(times[i - 1], times[i]);
            Assert.True(gap >= Interval - TimeSpan.FromMilliseconds(15), $"Runs {i - 1} and {i} were {gap.TotalMilliseconds} ms apart");
        }
    }

    [Fact]
    public async Task RequestDuringRun_IsNotLost()
    {
        var runs = 0;
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var throttler = new CallbackThrottler(async () =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
            }
        }, TimeSpan.FromMilliseconds(20));

        throttler.Request();
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(2));
        throttler.Request();
        releaseFirst.SetResult();
        await WaitForAsync(() => Volatile.Read(ref runs) >= 2);
        await Task.Delay(100);

        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task Dispose_CancelsPendingTrailingCall()
    {
        var runs = 0;
        var throttler = new CallbackThrottler(() => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, Interval);

        throttler.Request();
        await WaitForAsync(() => Volatile.Read(ref runs) == 1);
        throttler.Request();
        throttler.Dispose();
        throttler.Request();
        await Task.Delay(Interval * 2);

        Assert.Equal(1, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task FailingCallback_IsReportedAndLaterRequestsStillRun()
    {
        var runs = 0;
        var errors = new ConcurrentQueue<Exception>();
        using var throttler = new CallbackThrottler(
            () => Interlocked.Increment(ref runs) == 1 ? throw new InvalidOperationException("boom") : Task.CompletedTask,
            TimeSpan.FromMilliseconds(20),
            errors.Enqueue);

        throttler.Request();
        await WaitForAsync(() => errors.Count == 1);
        throttler.Request();
        await WaitForAsync(() => Volatile.Read(ref runs) == 2);

        Assert.Equal(2, Volatile.Read(ref runs));
        Assert.Equal("boom", Assert.Single(errors).Message);
    }
}
