using StackExchange.Redis;

namespace Fleet.Web.Cluster;

/// <summary>
/// The one Redis connection an instance shares between presence, events, Data Protection keys and the health check (SignalR's
/// backplane opens its own). Created on first use; it never fails the start when Redis is down, it reconnects by itself, and a
/// command sent while it is down fails at once instead of queueing, so callers and the health check learn it straight away.
/// </summary>
public sealed class RedisConnection(string configuration, ClusterOptions options, ILogger<RedisConnection> logger) : IDisposable
{
    private readonly Lazy<IConnectionMultiplexer> _multiplexer = new(() => Connect(configuration, logger));

    public string Prefix { get; } = options.ChannelPrefix;

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public IDatabase Database => Multiplexer.GetDatabase();

    public RedisKey Key(string name) => $"{Prefix}:{name}";

    public RedisChannel Channel(string name) => RedisChannel.Literal($"{Prefix}:{name}");

    public static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 5000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 5000);
        return options;
    }

    private static IConnectionMultiplexer Connect(string configuration, ILogger logger)
    {
        var multiplexer = ConnectionMultiplexer.Connect(Options(configuration));
        multiplexer.ConnectionFailed += (_, e) => logger.LogWarning("Redis connection lost ({FailureType}): {Error}", e.FailureType, e.Exception?.Message);
        multiplexer.ConnectionRestored += (_, _) => logger.LogInformation("Redis connection restored");
        if (!multiplexer.IsConnected) logger.LogWarning("Redis is not reachable yet; retrying in the background");
        return multiplexer;
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated) _multiplexer.Value.Dispose();
    }
}
