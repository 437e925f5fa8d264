using Fleet.Web.Engine;

namespace Fleet.Tests.Engine;

/// <summary>When the live publisher reads and sends: at once after a quiet spell, otherwise one message per interval, read just in time.</summary>
public sealed class LivePacingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int milliseconds) => T0.AddMilliseconds(milliseconds);

    [Fact]
    public void FirstMessage_IsReadAndSentAtOnce()
    {
        var pacing = new LivePacing(Interval);
        Assert.Equal(TimeSpan.Zero, pacing.UntilRead(T0));
        Assert.Equal(TimeSpan.Zero, pacing.UntilSend(T0));
    }

    [Fact]
    public void NextMessage_WaitsOutTheIntervalFromWhenTheLastSendsWereDone()
    {
        var pacing = new LivePacing(Interval);
        pacing.Sent(At(40));
        Assert.Equal(TimeSpan.FromMilliseconds(240), pacing.UntilSend(At(100)));
        Assert.Equal(TimeSpan.Zero, pacing.UntilSend(At(340)));
    }

    [Fact]
    public void Reads_StartAsLongBeforeTheNextSendAsTheLastReadsTook()
    {
        var pacing = new LivePacing(Interval);
        pacing.Read(TimeSpan.FromMilliseconds(80));
        pacing.Sent(At(0));
        Assert.Equal(TimeSpan.FromMilliseconds(170), pacing.UntilRead(At(50)));
        // The read took as long as before, so its message may go as soon as it is done.
        Assert.Equal(TimeSpan.Zero, pacing.UntilSend(At(300)));
    }

    [Fact]
    public void ReadsLongerThanTheInterval_NeverLetTwoMessagesCloserThanIt()
    {
        var pacing = new LivePacing(Interval);
        pacing.Read(TimeSpan.FromSeconds(5));
        pacing.Sent(At(0));
        Assert.Equal(TimeSpan.Zero, pacing.UntilRead(At(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(290), pacing.UntilSend(At(10)));
    }

    [Fact]
    public void AfterAQuietSpell_AnEventIsReadAndSentAtOnce()
    {
        var pacing = new LivePacing(Interval);
        pacing.Read(TimeSpan.FromMilliseconds(80));
        pacing.Sent(At(0));
        Assert.Equal(TimeSpan.Zero, pacing.UntilRead(At(5_000)));
        Assert.Equal(TimeSpan.Zero, pacing.UntilSend(At(5_080)));
    }

    [Fact]
    public void ClockSteppedBack_HoldsAMessageNoLongerThanTheInterval()
    {
        var pacing = new LivePacing(Interval);
        pacing.Sent(At(0));
        Assert.Equal(Interval, pacing.UntilRead(T0.AddHours(-1)));
        Assert.Equal(Interval, pacing.UntilSend(T0.AddHours(-1)));
    }
}
