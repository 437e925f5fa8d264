namespace Fleet.Web.Cluster;

/// <summary><c>Fleet:Cluster</c>: how instances sharing one Redis find each other's agents and events.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Fleet:Cluster";

    /// <summary>Prefixes every Redis key and channel (SignalR's backplane included), so several clusters can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "fleet";

    /// <summary>How often an instance renews its heartbeat key; the key lives three times as long.</summary>
    public double HeartbeatSeconds { get; set; } = 5;

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(Math.Clamp(HeartbeatSeconds, 0.2, 60));

    /// <summary>An instance whose heartbeat key expired is gone: its agents are dropped from every mirror.</summary>
    public TimeSpan HeartbeatLifetime => Heartbeat * 3;
}

/// <summary>This process in the cluster: a new id at every start, so a restarted instance never inherits a dead one's entries.</summary>
public sealed class ClusterInstance
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
