namespace Fleet.Web.Engine;

/// <summary>
/// When the live publisher reads and when it sends: one message at most per interval, and reads started early enough to
/// end about when the next message may go, so a message is as fresh as the limit allows and a result never waits a whole
/// interval plus the reads. Not thread-safe: the publisher's one loop owns it.
/// </summary>
public sealed class LivePacing(TimeSpan interval)
{
    private DateTimeOffset? _lastSent;
    private TimeSpan _reading = TimeSpan.Zero;

    /// <summary>How long to wait before reading; zero when a message could go now.</summary>
    public TimeSpan UntilRead(DateTimeOffset now) => Remaining(now, _reading);

    /// <summary>How long the reads took, so the next ones start that much before their message may go.</summary>
    public void Read(TimeSpan took) => _reading = took < TimeSpan.Zero ? TimeSpan.Zero : took > interval ? interval : took;

    /// <summary>How long to wait before sending what was read; zero once an interval has passed since the last message.</summary>
    public TimeSpan UntilSend(DateTimeOffset now) => Remaining(now, TimeSpan.Zero);

    public void Sent(DateTimeOffset at) => _lastSent = at;

    private TimeSpan Remaining(DateTimeOffset now, TimeSpan early)
    {
        if (_lastSent is not { } last) return TimeSpan.Zero;
        var wait = last + interval - early - now;
        // Capped at the interval: a wall clock stepped back (NTP, a VM resumed) must not hold every message for as long as the step.
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > interval ? interval : wait;
    }
}
