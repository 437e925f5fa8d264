namespace Fleet.Agent.Simulation;

/// <summary>
/// SplitMix64: a few bytes of state, no allocation, and the same sequence on every runtime and
/// process — which System.Random does not promise across .NET versions, and string.GetHashCode
/// does not even promise across runs.
/// </summary>
internal struct SeededRandom(ulong state)
{
    private ulong _state = state;

    public static ulong Mix(ulong a, ulong b)
    {
        var r = new SeededRandom(a ^ (b * 0x9E3779B97F4A7C15UL));
        r.NextUInt64();
        return r.NextUInt64();
    }

    /// <summary>FNV-1a, for deriving stable numbers from names.</summary>
    public static ulong Hash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>Uniform in [min, maxInclusive].</summary>
    public int Between(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    public bool Chance(double probability) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
