using System.Globalization;

namespace Fleet.Domain.Search;

/// <summary>
/// Reads "8GB", "512 MB", "1.5g" or a plain byte count. Units are binary (1 KB = 1024 B), matching
/// how <see cref="Inventory.Formatting.Bytes"/> shows memory, so a size copied from the UI finds the host.
/// </summary>
internal static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("kib", 1L << 10), ("mib", 1L << 20), ("gib", 1L << 30), ("tib", 1L << 40), ("pib", 1L << 50),
        ("kb", 1L << 10), ("mb", 1L << 20), ("gb", 1L << 30), ("tb", 1L << 40), ("pb", 1L << 50),
        ("k", 1L << 10), ("m", 1L << 20), ("g", 1L << 30), ("t", 1L << 40), ("p", 1L << 50),
        ("b", 1),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var value = text.Trim().ToLowerInvariant();
        long factor = 1;
        foreach (var (suffix, unitFactor) in Units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value[..^suffix.Length].TrimEnd();
                factor = unitFactor;
                break;
            }
        }
        if (value.Length == 0 || !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        // Checked before multiplying: decimal itself overflows (throws) on a long enough digit string.
        if (number > long.MaxValue / (decimal)factor) return false;
        bytes = (long)Math.Round(number * factor, MidpointRounding.AwayFromZero);
        return true;
    }
}
