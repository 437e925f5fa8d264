using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Fleet.Web.Engine;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fleet.Web.Cluster;

/// <summary>
/// Cluster-wide agent presence over Redis. Each instance keeps the agents it holds in a hash of its own
/// (<c>{prefix}:presence:{instance}</c>, host id → connection, accepted-at, boot id), renews a heartbeat key that expires when
/// it dies, and announces changes on one pub/sub channel. Every instance keeps an in-memory mirror of the others' agents:
/// loaded from their hashes at start, kept current by the notices, dropped when their heartbeat key has expired. Changes are
/// written in batches, each host's current state re-read from the registry at write time, so a storm of connections costs a
/// few Redis round trips, and no agent has a timer or a subscription of its own.
/// </summary>
public sealed class ClusterPresence : IAgentPresence, IHostedService, IDisposable
{
    /// <summary>A short wait before writing, so a connection storm lands as a few large batches.</summary>
    private static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(50);
    private const int MaxPerMessage = 1000;

    private readonly AgentRegistry _registry;
    private readonly RedisConnection _redis;
    private readonly string _instance;
    private readonly ClusterOptions _options;
    private readonly ILogger<ClusterPresence> _logger;
    private readonly ConcurrentDictionary<Guid, RemoteAgent> _remote = new();
    private readonly ConcurrentDictionary<string, byte> _loadedInstances = new();
    private readonly ConcurrentDictionary<Guid, byte> _dirty = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private ChannelMessageQueue? _notices;
    private Task _loops = Task.CompletedTask;

    public ClusterPresence(AgentRegistry registry, RedisConnection redis, ClusterInstance instance, IOptions<ClusterOptions> options, ILogger<ClusterPresence> logger)
    {
        _registry = registry;
        _redis = redis;
        _instance = instance.Id;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Agents other live instances hold, as this instance last heard.</summary>
    public int RemoteCount => _remote.Count;

    public bool IsConnected(Guid hostId) => _registry.IsConnected(hostId) || _remote.ContainsKey(hostId);

    public DateTimeOffset? ConnectedSince(Guid hostId) =>
        _registry.ConnectedSince(hostId) ?? (_remote.TryGetValue(hostId, out var remote) ? remote.At : null);

    public string? BootIdOf(Guid hostId) =>
        !_registry.IsConnected(hostId) && _remote.TryGetValue(hostId, out var remote) ? remote.BootId : _registry.BootIdOf(hostId);

    public string? ConnectionOf(Guid hostId) =>
        _registry.ConnectionOf(hostId) ?? (_remote.TryGetValue(hostId, out var remote) ? remote.ConnectionId : null);

    public void Abort(Guid hostId)
    {
        _registry.Abort(hostId);
        if (_registry.IsConnected(hostId) || !_remote.ContainsKey(hostId)) return;
        _ = PublishAsync(new Notice(_instance, Abort: [hostId]));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _registry.HostChanged += MarkDirty;
        _redis.Multiplexer.ConnectionRestored += OnRestored;
        foreach (var hostId in _registry.AcceptedHosts) MarkDirty(hostId);
        try
        {
            _notices = await _redis.Multiplexer.GetSubscriber().SubscribeAsync(_redis.Channel("presence"));
            _notices.OnMessage(message => Apply(message.Message));
            await BeatAsync();
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // Not fatal: the heartbeat loop retries, and /readyz says Redis is unreachable meanwhile.
            _logger.LogWarning("Cluster presence could not reach Redis at start: {Error}", error.Message);
        }
        _loops = Task.WhenAll(Task.Run(() => FlushLoopAsync(_stop.Token)), Task.Run(() => HeartbeatLoopAsync(_stop.Token)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _registry.HostChanged -= MarkDirty;
        await _stop.CancelAsync();
        await _loops;
        try
        {
            // A clean stop says goodbye at once; a crash is noticed when the heartbeat key expires.
            var db = _redis.Database;
            await Task.WhenAll(db.KeyDeleteAsync([HashKey(_instance), AliveKey(_instance)]), db.SetRemoveAsync(_redis.Key("instances"), _instance));
            await PublishAsync(new Notice(_instance, Gone: true));
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            _logger.LogWarning("Could not remove this instance's presence from Redis: {Error}", error.Message);
        }
        if (_notices is not null) await _notices.UnsubscribeAsync();
    }

    private void MarkDirty(Guid hostId)
    {
        _dirty[hostId] = 0;
        _wake.Writer.TryWrite(true);
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Redis may have restarted empty: write everything this instance holds again, and reload the others.
        _loadedInstances.Clear();
        foreach (var hostId in _registry.AcceptedHosts) MarkDirty(hostId);
    }

    private async Task FlushLoopAsync(CancellationToken ct)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(ct))
            {
                _wake.Reader.TryRead(out _);
                await Task.Delay(CoalesceDelay, ct);
                await FlushAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Writes what changed since the last flush: each host as the registry has it now, set or deleted.</summary>
    public async Task FlushAsync()
    {
        var hosts = new List<Guid>(_dirty.Count);
        foreach (var hostId in _dirty.Keys)
            if (_dirty.TryRemove(hostId, out _)) hosts.Add(hostId);
        foreach (var chunk in hosts.Chunk(MaxPerMessage))
        {
            var up = new List<RemoteEntry>();
            var down = new List<Guid>();
            foreach (var hostId in chunk)
            {
                if (_registry.ConnectionOf(hostId) is { } connection)
                    up.Add(new RemoteEntry(hostId, connection, (_registry.ConnectedSince(hostId) ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds(), _registry.BootIdOf(hostId)));
                else
                    down.Add(hostId);
            }
            try
            {
                var db = _redis.Database;
                var writes = new List<Task>();
                if (up.Count > 0)
                    writes.Add(db.HashSetAsync(HashKey(_instance), up.Select(e => new HashEntry(e.H.ToString("N"), JsonSerializer.Serialize(e))).ToArray()));
                if (down.Count > 0)
                    writes.Add(db.HashDeleteAsync(HashKey(_instance), down.Select(h => (RedisValue)h.ToString("N")).ToArray()));
                await Task.WhenAll(writes);
                await PublishAsync(new Notice(_instance, up, down));
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                // Tried again after the next heartbeat; the registry is re-read then, so nothing stale is written.
                foreach (var hostId in chunk) _dirty.TryAdd(hostId, 0);
                _logger.LogWarning("Could not share {Count} agent connections with the cluster: {Error}", chunk.Length, error.Message);
                return;
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.Heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await BeatAsync();
                }
                catch (Exception error) when (error is RedisException or TimeoutException)
                {
                    _logger.LogWarning("Cluster heartbeat failed: {Error}", error.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Renews this instance's heartbeat, loads instances not seen yet, and forgets those whose heartbeat expired.</summary>
    public async Task BeatAsync()
    {
        var db = _redis.Database;
        var instances = _redis.Key("instances");
        await db.StringSetAsync(AliveKey(_instance), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _options.HeartbeatLifetime);
        await db.SetAddAsync(instances, _instance);
        var members = (await db.SetMembersAsync(instances)).Select(m => m.ToString()).Where(m => m != _instance).ToList();
        foreach (var other in members)
        {
            if (!await db.KeyExistsAsync(AliveKey(other)))
            {
                Forget(other);
                await db.KeyDeleteAsync(HashKey(other));
                await db.SetRemoveAsync(instances, other);
                _logger.LogWarning("Cluster instance {Instance} stopped renewing its heartbeat; its agents are no longer counted as connected", other);
            }
            else if (_loadedInstances.TryAdd(other, 0))
            {
                await LoadAsync(other);
            }
        }
        foreach (var known in _loadedInstances.Keys.Except(members).ToList()) Forget(known);
        if (!_dirty.IsEmpty) _wake.Writer.TryWrite(true);
    }

    private async Task LoadAsync(string instance)
    {
        try
        {
            foreach (var field in await _redis.Database.HashGetAllAsync(HashKey(instance)))
                if (JsonSerializer.Deserialize<RemoteEntry>(field.Value.ToString()) is { } entry) Up(instance, entry);
        }
        catch (Exception error) when (error is RedisException or TimeoutException or JsonException)
        {
            _loadedInstances.TryRemove(instance, out _);
            _logger.LogWarning("Could not load the agents of cluster instance {Instance}: {Error}", instance, error.Message);
        }
    }

    private void Apply(RedisValue message)
    {
        Notice? notice;
        try
        {
            notice = JsonSerializer.Deserialize<Notice>(message.ToString());
        }
        catch (JsonException)
        {
            return;
        }
        if (notice is null || notice.O == _instance) return;
        if (notice.Gone)
        {
            Forget(notice.O);
            return;
        }
        // An instance heard from before its hash was loaded (it started after this one): load what it held before this notice.
        if (_loadedInstances.TryAdd(notice.O, 0)) _ = LoadAsync(notice.O);
        foreach (var entry in notice.Up ?? []) Up(notice.O, entry);
        foreach (var hostId in notice.Down ?? [])
            if (_remote.TryGetValue(hostId, out var remote) && remote.Instance == notice.O) _remote.TryRemove(new(hostId, remote));
        foreach (var hostId in notice.Abort ?? [])
            if (_registry.IsConnected(hostId)) _registry.Abort(hostId);
    }

    /// <summary>The latest accepted connection wins when two instances claim a host (it moved, and the notices crossed).</summary>
    private void Up(string instance, RemoteEntry entry)
    {
        var agent = new RemoteAgent(instance, entry.C, DateTimeOffset.FromUnixTimeMilliseconds(entry.A), entry.B);
        _remote.AddOrUpdate(entry.H, agent, (_, old) => old.Instance == instance || old.At <= agent.At ? agent : old);
    }

    private void Forget(string instance)
    {
        _loadedInstances.TryRemove(instance, out _);
        foreach (var (hostId, remote) in _remote)
            if (remote.Instance == instance) _remote.TryRemove(new(hostId, remote));
    }

    private Task PublishAsync(Notice notice) =>
        _redis.Multiplexer.GetSubscriber().PublishAsync(_redis.Channel("presence"), JsonSerializer.Serialize(notice));

    private RedisKey HashKey(string instance) => _redis.Key($"presence:{instance}");

    private RedisKey AliveKey(string instance) => _redis.Key($"instance:{instance}");

    public void Dispose()
    {
        _registry.HostChanged -= MarkDirty;
        _stop.Dispose();
    }

    private sealed record RemoteAgent(string Instance, string ConnectionId, DateTimeOffset At, string? BootId);

    /// <summary>A host as an instance holds it: connection id, accepted at (Unix ms), boot id.</summary>
    private sealed record RemoteEntry(Guid H, string C, long A, string? B);

    /// <summary>One batch from instance <c>O</c>: hosts it now holds, hosts it let go, hosts whose holder must close them, or that it stopped.</summary>
    private sealed record Notice(string O, IReadOnlyList<RemoteEntry>? Up = null, IReadOnlyList<Guid>? Down = null, bool Gone = false,
        IReadOnlyList<Guid>? Abort = null);
}
