using System.Globalization;

namespace Fleet.Domain.Inventory;

/// <summary>The human-readable sizes and durations the host-management API (seed 001) returns, e.g. "8 GB".</summary>
public static class Formatting
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "PB"];

    public static string Bytes(long bytes)
    {
        if (bytes < 0) bytes = 0;
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var format = value >= 10 || unit == 0 ? "0" : "0.#";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    public static int Percentage(long part, long whole) =>
        whole <= 0 ? 0 : (int)Math.Round(100.0 * Math.Clamp(part, 0, whole) / whole, MidpointRounding.AwayFromZero);

    public static string Uptime(long seconds)
    {
        if (seconds < 0) seconds = 0;
        var span = TimeSpan.FromSeconds(seconds);
        var parts = new List<string>();
        if (span.Days > 0) parts.Add(Plural(span.Days, "day"));
        if (span.Hours > 0 || span.Days > 0) parts.Add(Plural(span.Hours, "hour"));
        parts.Add(Plural(span.Minutes, "minute"));
        return string.Join(", ", parts);
    }

    public static string? Speed(int? mbps) => mbps is > 0 ? $"{mbps} Mbps" : null;

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";
}
