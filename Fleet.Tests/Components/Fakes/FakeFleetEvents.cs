using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Fakes;

/// <summary>Each subscriber gets its own channel; a publish is delivered to all as a one-event batch.</summary>
public sealed class FakeFleetEvents : IFleetEvents
{
    private readonly Lock _lock = new();
    private readonly List<Channel<IReadOnlyList<FleetEvent>>> _subscribers = [];
    private int _handled;

    public int SubscriberCount
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    /// <summary>Batches subscribers have finished with (they asked for the next one): what a page decided about them is done.</summary>
    public int Handled => Volatile.Read(ref _handled);

    public void Publish(FleetEvent fleetEvent)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite([fleetEvent]);
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<FleetEvent>> SubscribeAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<IReadOnlyList<FleetEvent>>();
        lock (_lock) _subscribers.Add(channel);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
            {
                yield return batch;
                Interlocked.Increment(ref _handled);
            }
        }
        finally
        {
            lock (_lock) _subscribers.Remove(channel);
        }
    }
}
