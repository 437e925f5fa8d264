using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Fleet.Web.Engine;

/// <inheritdoc cref="IFleetEvents"/>
public sealed class FleetEventStream : IFleetEvents
{
    // A subscriber that stops reading must not grow memory without bound: beyond this it loses the
    // oldest events, which is harmless because every subscriber re-reads state, not event payloads.
    private const int SubscriberCapacity = 50_000;
    private readonly ConcurrentDictionary<Channel<FleetEvent>, byte> _subscribers = new();

    private Action<FleetEvent>? _relay;

    public int SubscriberCount => _subscribers.Count;

    public void Publish(FleetEvent fleetEvent)
    {
        PublishHere(fleetEvent);
        _relay?.Invoke(fleetEvent);
    }

    /// <summary>Publishes to this instance's subscribers only: an event another cluster instance relayed.</summary>
    public void PublishHere(FleetEvent fleetEvent)
    {
        foreach (var subscriber in _subscribers.Keys) subscriber.Writer.TryWrite(fleetEvent);
    }

    /// <summary>In a cluster, everything published here is also handed to <paramref name="relay"/> for the other instances.</summary>
    public void RelayTo(Action<FleetEvent>? relay) => _relay = relay;

    public async IAsyncEnumerable<IReadOnlyList<FleetEvent>> SubscribeAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<FleetEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        _subscribers.TryAdd(channel, 0);
        try
        {
            while (true)
            {
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(ct)) yield break;
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                var batch = new List<FleetEvent>();
                while (batch.Count < 10_000 && channel.Reader.TryRead(out var item)) batch.Add(item);
                yield return batch;
            }
        }
        finally
        {
            _subscribers.TryRemove(channel, out _);
        }
    }
}
