using System.Globalization;

namespace Fleet.Domain.Execution;

/// <summary>
/// When to stop a rollout (AWS SSM's MaxErrors): a count (<c>3</c>) or a percentage of all targets
/// (<c>10%</c>). Reaching it halts the waves not yet started.
/// </summary>
public sealed record FailureThreshold(int? Count, double? Percent)
{
    public static FailureThreshold? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100)
            return new FailureThreshold(null, percent);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            return new FailureThreshold(count, null);
        throw new DomainException($"The failure threshold '{text}' must be a count like 3 or a percentage like 10%.");
    }

    /// <summary>True when <paramref name="failed"/> of <paramref name="targets"/> reaches the threshold.</summary>
    public bool IsReached(int failed, int targets) =>
        Count is { } count ? failed >= Math.Max(1, count) : failed > 0 && failed >= Math.Ceiling(targets * Percent!.Value / 100.0);

    public string Describe() => Count is { } count ? $"{count} failed target run(s)" : $"{Percent}% of target runs failed";
}
