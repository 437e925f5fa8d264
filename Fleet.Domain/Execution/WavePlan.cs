using System.Globalization;

namespace Fleet.Domain.Execution;

/// <summary>
/// How an invocation's targets are split into waves (one stage run each): sizes written as counts or
/// percentages of the targets, with <c>rest</c> taking what is left — e.g. <c>1, 10%, rest</c>. A canary
/// first, then a slice, then everyone. Pure arithmetic; the engine runs the waves.
/// </summary>
public sealed record WavePlan(IReadOnlyList<WaveSize> Sizes)
{
    public static WavePlan Single { get; } = new([WaveSize.Rest]);

    public static WavePlan Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Single;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new List<WaveSize>();
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Equals("rest", StringComparison.OrdinalIgnoreCase))
            {
                if (i != parts.Length - 1) throw new DomainException("'rest' can only be the last wave.");
                sizes.Add(WaveSize.Rest);
            }
            else if (part.EndsWith('%') && double.TryParse(part[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is > 0 and <= 100)
            {
                sizes.Add(new WaveSize(null, percent));
            }
            else if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
            {
                sizes.Add(new WaveSize(count, null));
            }
            else
            {
                throw new DomainException($"Wave {i + 1} ('{part}') must be a positive count, a percentage like 10%, or 'rest'.");
            }
        }
        if (sizes.Count > 100) throw new DomainException("At most 100 waves.");
        return new WavePlan(sizes);
    }

    /// <summary>
    /// How many targets each wave gets. Percentages round up (a 10% wave of 5 hosts is 1 host, never 0);
    /// waves left empty are dropped; targets beyond the plan go to a final wave, so none is left out.
    /// </summary>
    public IReadOnlyList<int> Split(int targets)
    {
        var counts = new List<int>();
        var left = targets;
        foreach (var size in Sizes)
        {
            if (left == 0) break;
            var take = size.IsRest ? left : size.Count ?? (int)Math.Ceiling(targets * size.Percent!.Value / 100.0);
            take = Math.Min(take, left);
            counts.Add(take);
            left -= take;
        }
        if (left > 0) counts.Add(left);
        return counts;
    }
}

/// <summary>One wave's size: a count, a percentage of all targets, or (both null) the rest.</summary>
public sealed record WaveSize(int? Count, double? Percent)
{
    public static WaveSize Rest { get; } = new(null, null);
    public bool IsRest => Count is null && Percent is null;
}
