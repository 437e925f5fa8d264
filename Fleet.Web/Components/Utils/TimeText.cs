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

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";
}
