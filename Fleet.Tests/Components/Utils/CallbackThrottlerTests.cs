using System.Collections.Concurrent;
using System.Diagnostics;
using Fleet.Web.Components.Utils;

namespace Fleet.Tests.Components.Utils;

public sealed class CallbackThrottlerTests
{
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
        await Task.Delay(Interval / 2);
        Assert.Equal(1, Volatile.Read(ref runs));
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
        Assert.InRange(times.Length, 3, 7);
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
        await Task.Delay(300);

        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task Dispose_CancelsPendingTrailingCall()
    {
        var runs = 0;
        var throttler = new CallbackThrottler(() => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, Interval);

        throttler.Request();
        await Task.Delay(50);
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
        await Task.Delay(100);
        throttler.Request();
        await Task.Delay(100);

        Assert.Equal(2, Volatile.Read(ref runs));
        Assert.Equal("boom", Assert.Single(errors).Message);
    }
}
