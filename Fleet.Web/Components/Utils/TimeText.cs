using System.Globalization;

namespace Fleet.Web.Components.Utils;

/// <summary>Timestamps as people read them on the dashboard.</summary>
public static class TimeText
{
    public static string Relative(DateTimeOffset at) => Relative(at, DateTimeOffset.UtcNow);

    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var ago = now - at;
        if (ago < TimeSpan.Zero) ago = TimeSpan.Zero;
        return ago switch
        {
            { TotalSeconds: < 60 } => "just now",
            { TotalMinutes: < 60 } => $"{(int)ago.TotalMinutes} min ago",
            { TotalHours: < 24 } => Plural((int)ago.TotalHours, "hour") + " ago",
            { TotalDays: < 30 } => Plural((int)ago.TotalDays, "day") + " ago",
            _ => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    public static string Absolute(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Absolute(DateTimeOffset? at) => at is { } value ? Absolute(value) : "never";

    /// <summary>How long something took (or has taken so far): "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span switch
        {
            { TotalSeconds: < 1 } => $"{(int)span.TotalMilliseconds} ms",
            { TotalSeconds: < 60 } => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min {span.Seconds} s",
            { TotalDays: < 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
            _ => $"{(int)span.TotalDays} d {span.Hours} h",
        };
    }

    /// <summary>A duration from a start to an end, "" before the start, running on from now while there is no end.</summary>
    public static string Duration(DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now) =>
        start is { } from ? Duration((end ?? now) - from) : "";

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";
}
