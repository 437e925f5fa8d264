namespace Fleet.Agent;

/// <summary>Exponential reconnect delay with full jitter, so thousands of agents losing the server at once do not return in lockstep.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan max, Random random)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, 1000 * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(250 + random.NextDouble() * ceiling);
    }
}
