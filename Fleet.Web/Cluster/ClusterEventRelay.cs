using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Fleet.Web.Engine;
using StackExchange.Redis;

namespace Fleet.Web.Cluster;

/// <summary>
/// Carries the event stream across instances: what this instance publishes goes out on one Redis channel in batches tagged
/// with the instance's id, and what the others publish is published here. Consumers re-read state and never rely on a
/// payload, so a batch keeps one event per kind and subject, and a batch lost while Redis is away costs a refresh, not data.
/// </summary>
public sealed class ClusterEventRelay(FleetEventStream stream, RedisConnection redis, ClusterInstance instance, ILogger<ClusterEventRelay> logger)
    : BackgroundService
{
    private static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(25);
    private const int MaxPerMessage = 5000;

    private readonly ConcurrentQueue<FleetEvent> _outgoing = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ChannelMessageQueue? _incoming;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _incoming = await redis.Multiplexer.GetSubscriber().SubscribeAsync(redis.Channel("events"));
            _incoming.OnMessage(message => Apply(message.Message));
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // The multiplexer re-subscribes by itself once Redis is back.
            logger.LogWarning("The cluster event relay could not subscribe to Redis at start: {Error}", error.Message);
        }
        stream.RelayTo(Enqueue);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        stream.RelayTo(null);
        await base.StopAsync(cancellationToken);
        if (_incoming is not null) await _incoming.UnsubscribeAsync();
    }

    private void Enqueue(FleetEvent fleetEvent)
    {
        _outgoing.Enqueue(fleetEvent);
        _wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stoppingToken))
            {
                _wake.Reader.TryRead(out _);
                await Task.Delay(CoalesceDelay, stoppingToken);
                while (!_outgoing.IsEmpty) await SendBatchAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendBatchAsync()
    {
        var batch = new Dictionary<(FleetEventKind, Guid, long?, Guid?), FleetEvent>();
        // One per key, the earliest: an event's time bounds where readers of the change start (FleetEvent.At).
        while (batch.Count < MaxPerMessage && _outgoing.TryDequeue(out var e))
        {
            var key = (e.Kind, e.HostId, e.InvocationId, e.OrchestrationId);
            if (!batch.TryGetValue(key, out var kept) || e.At < kept.At) batch[key] = e;
        }
        try
        {
            await redis.Multiplexer.GetSubscriber().PublishAsync(redis.Channel("events"), JsonSerializer.Serialize(new Batch(instance.Id, [.. batch.Values])));
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            logger.LogWarning("Could not relay {Count} events to the other instances: {Error}", batch.Count, error.Message);
        }
    }

    private void Apply(RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize<Batch>(message.ToString()) is not { } batch || batch.O == instance.Id) return;
            foreach (var fleetEvent in batch.E) stream.PublishHere(fleetEvent);
        }
        catch (JsonException error)
        {
            logger.LogWarning("Ignored an unreadable event batch from Redis: {Error}", error.Message);
        }
    }

    private sealed record Batch(string O, IReadOnlyList<FleetEvent> E);
}
