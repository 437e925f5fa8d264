namespace Fleet.Web.Engine;

/// <summary>
/// Serialises check-then-write steps on one thing (an operation, a recurrence, an invocation) inside this server.
/// Hangfire's SQLite storage may hand one job to two workers, and a trigger may race a retry or a start-up catch-up;
/// the step re-reads the database once it holds the key, so the second caller finds the work done and does nothing.
/// </summary>
public sealed class KeyedLocks
{
    private readonly Dictionary<string, Entry> _entries = [];

    public async Task<IDisposable> EnterAsync(string key, CancellationToken ct = default)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!)) _entries[key] = entry = new Entry();
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(ct);
        }
        catch
        {
            Leave(key, entry, release: false);
            throw;
        }
        return new Holder(() => Leave(key, entry, release: true));
    }

    private void Leave(string key, Entry entry, bool release)
    {
        if (release) entry.Gate.Release();
        lock (_entries)
        {
            // Forgotten once nobody holds or waits for it, so the table stays as small as the work in flight.
            if (--entry.Users == 0) _entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Users { get; set; }
    }

    private sealed class Holder(Action leave) : IDisposable
    {
        private Action? _leave = leave;

        public void Dispose() => Interlocked.Exchange(ref _leave, null)?.Invoke();
    }
}
