using System.Collections.Concurrent;

namespace Fleet.Web.Engine.Execution;

/// <summary>
/// Hands the results the result writer has just committed to a caller waiting for them in this process (the seed 001
/// synchronous command and broadcast), so that caller need not read back what the writer held in memory a moment before.
/// Only runs whose whole result the writer saw are handed over (a short command, reported in one message); anything else
/// (a streamed command, a run ended by a sweep or a cancel) leaves the caller to read the database as before.
/// </summary>
public sealed class RunOutcomes
{
    private readonly ConcurrentDictionary<long, Watch> _watches = new();
    private long _handedOver;

    /// <summary>How many results were handed to a waiting caller since start (tests read it to see the reads were saved).</summary>
    public long HandedOver => Interlocked.Read(ref _handedOver);

    /// <summary>Starts collecting the outcomes of one invocation's runs; dispose the watch when done.</summary>
    public Watch Follow(long invocationId)
    {
        var watch = new Watch(this, invocationId);
        _watches[invocationId] = watch;
        return watch;
    }

    /// <summary>Whether someone waits for this invocation's outcomes (the writer builds them only then).</summary>
    public bool IsFollowed(long invocationId) => _watches.ContainsKey(invocationId);

    /// <summary>Called by the result writer once the outcomes are committed.</summary>
    public void Committed(long invocationId, int position, HostCommandResult result)
    {
        if (!_watches.TryGetValue(invocationId, out var watch)) return;
        watch.Add(position, result);
        Interlocked.Increment(ref _handedOver);
    }

    /// <summary>The outcomes of one invocation's runs, collected as the writer commits them.</summary>
    public sealed class Watch(RunOutcomes owner, long invocationId) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<Guid, (int Position, HostCommandResult Result)> _results = [];

        internal void Add(int position, HostCommandResult result)
        {
            lock (_gate) _results[result.TargetRunId] = (position, result);
        }

        /// <summary>Every run's result in the invocation's order once <paramref name="runs"/> of them are in; null before.</summary>
        public IReadOnlyList<HostCommandResult>? All(int runs)
        {
            lock (_gate)
            {
                if (_results.Count < runs) return null;
                return _results.Values.OrderBy(r => r.Position).Select(r => r.Result).ToList();
            }
        }

        public void Dispose() => owner._watches.TryRemove(new KeyValuePair<long, Watch>(invocationId, this));
    }
}
