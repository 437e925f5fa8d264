using Fleet.Web.Engine;
using Fleet.Web.Health;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Fleet.Web.Cluster;

/// <summary>
/// Scale-out over Redis (<c>ConnectionStrings:Redis</c>): SignalR's backplane for both hubs, the Data Protection key ring,
/// cluster presence of agents and cross-instance events. Without it nothing here is registered beyond the registry standing in
/// for presence, so a single instance behaves and costs exactly as before.
/// </summary>
public static class ClusterSetup
{
    public const string RedisConnectionName = "Redis";

    public static bool UsesRedis(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration.GetConnectionString(RedisConnectionName));

    public static IServiceCollection AddFleetCluster(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ClusterOptions.Section);
        services.Configure<ClusterOptions>(section);
        if (!UsesRedis(configuration))
        {
            services.AddSingleton<IAgentPresence>(sp => sp.GetRequiredService<AgentRegistry>());
            return services;
        }
        var redis = configuration.GetConnectionString(RedisConnectionName)!;
        var options = section.Get<ClusterOptions>() ?? new ClusterOptions();
        services.AddSingleton<ClusterInstance>();
        services.AddSingleton(sp => new RedisConnection(redis, options, sp.GetRequiredService<ILogger<RedisConnection>>()));
        // Before the start-up reconciler (hosted services start in registration order): it asks which hosts other instances hold.
        services.AddSingleton<ClusterPresence>();
        services.AddSingleton<IAgentPresence>(sp => sp.GetRequiredService<ClusterPresence>());
        services.AddHostedService(sp => sp.GetRequiredService<ClusterPresence>());
        services.AddHostedService<ClusterEventRelay>();
        // Registered after the data folder's file repository, so this one wins: every instance reads and writes one key ring
        // (same application name), and a cookie or a sealed secret made by one instance opens on the others.
        services.AddOptions<KeyManagementOptions>().Configure<RedisConnection>((keys, connection) =>
            keys.XmlRepository = new RedisXmlRepository(() => connection.Database, connection.Key("data-protection-keys")));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthSetup.ReadyTag]);
        return services;
    }

    /// <summary>Both hubs on SignalR's Redis backplane, under the cluster's channel prefix: a message to a connection another instance holds reaches it.</summary>
    public static ISignalRServerBuilder AddFleetBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        if (!UsesRedis(configuration)) return signalR;
        var prefix = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>()?.ChannelPrefix ?? new ClusterOptions().ChannelPrefix;
        return signalR.AddStackExchangeRedis(options =>
        {
            options.Configuration = RedisConnection.Options(configuration.GetConnectionString(RedisConnectionName)!);
            options.Configuration.ChannelPrefix = RedisChannel.Literal($"{prefix}:signalr");
        });
    }
}
