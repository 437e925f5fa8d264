using System.Globalization;

namespace Fleet.Agent.Inventory;

/// <summary>Parses the small /etc and /proc files behind <see cref="Fleet.Domain.Inventory.HostFacts"/>.</summary>
public static class HostFactsParser
{
    /// <summary>PRETTY_NAME from os-release, else NAME plus VERSION, else null.</summary>
    public static string? ParseOsRelease(TextReader reader)
    {
        string? pretty = null, name = null, version = null;
        while (reader.ReadLine() is { } line)
        {
            var eq = line.IndexOf('=');
            if (eq <= 0 || line.StartsWith('#')) continue;
            var key = line.AsSpan(0, eq).Trim();
            if (key.SequenceEqual("PRETTY_NAME")) pretty = Unquote(line[(eq + 1)..]);
            else if (key.SequenceEqual("NAME")) name = Unquote(line[(eq + 1)..]);
            else if (key.SequenceEqual("VERSION")) version = Unquote(line[(eq + 1)..]);
        }
        if (!string.IsNullOrWhiteSpace(pretty)) return pretty;
        if (string.IsNullOrWhiteSpace(name)) return null;
        return string.IsNullOrWhiteSpace(version) ? name : $"{name} {version}";
    }

    public sealed record CpuInfo(int ProcessorCount, string? Model);

    /// <summary>
    /// Counts "processor" entries and takes the first model name. ARM kernels have no "model name",
    /// so "Model" and "Hardware" stand in for it.
    /// </summary>
    public static CpuInfo ParseCpuInfo(TextReader reader)
    {
        var count = 0;
        string? modelName = null, fallback = null;
        while (reader.ReadLine() is { } line)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var key = line.AsSpan(0, colon).Trim();
            if (key.SequenceEqual("processor")) count++;
            else if (modelName is null && key.SequenceEqual("model name")) modelName = line[(colon + 1)..].Trim();
            else if (fallback is null && (key.SequenceEqual("Model") || key.SequenceEqual("Hardware"))) fallback = line[(colon + 1)..].Trim();
        }
        var model = string.IsNullOrEmpty(modelName) ? fallback : modelName;
        return new CpuInfo(count, string.IsNullOrEmpty(model) ? null : model);
    }

    /// <summary>MemTotal in bytes (the file states kB, which the kernel means as KiB), or null.</summary>
    public static long? ParseMemTotalBytes(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var value = line.AsSpan("MemTotal:".Length).Trim();
            var unitFactor = 1L;
            if (value.EndsWith("kB", StringComparison.Ordinal))
            {
                value = value[..^2].Trim();
                unitFactor = 1024;
            }
            return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n * unitFactor : null;
        }
        return null;
    }

    /// <summary>Whole seconds since boot from /proc/uptime ("12345.67 23456.78").</summary>
    public static long? ParseUptimeSeconds(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return null;
        var span = content.AsSpan().Trim();
        var space = span.IndexOf(' ');
        if (space > 0) span = span[..space];
        return double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? (long)Math.Floor(seconds)
            : null;
    }

    private static string Unquote(string value)
    {
        value = value.Trim();
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            value = value[1..^1];
        return value.Replace("\\\"", "\"", StringComparison.Ordinal);
    }

    private static readonly string[] DmiPlaceholders =
        ["To Be Filled By O.E.M.", "To be filled by O.E.M.", "Default string", "System Product Name", "System manufacturer", "Not Specified", "None", "0", "N/A"];

    /// <summary>Text firmware vendors leave in DMI fields they never filled in: not a serial number or model.</summary>
    public static bool IsDmiPlaceholder(string value) => DmiPlaceholders.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
}
