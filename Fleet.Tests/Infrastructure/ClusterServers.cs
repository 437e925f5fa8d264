namespace Fleet.Tests.Infrastructure;

/// <summary>
/// Two Fleet.Web instances (A and B, in-process Kestrel servers) sharing one private PostgreSQL database (Hangfire's storage
/// included) and one private Redis: the scale-out mode. Each instance has its own data folder, so nothing but PostgreSQL and
/// Redis is shared.
/// </summary>
public sealed class ClusterServers : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "cluster-" + Guid.NewGuid().ToString("N"));

    public ClusterServers(IDictionary<string, string?>? settings = null)
    {
        Directory.CreateDirectory(_directory);
        Postgres = new PostgresServer();
        Redis = new RedisServer();
        Settings = PostgresServer.FleetSettings(Postgres.CreateDatabaseAsync().GetAwaiter().GetResult());
        Settings["ConnectionStrings:Redis"] = Redis.ConnectionString;
        Settings["Fleet:Cluster:ChannelPrefix"] = "test-" + Guid.NewGuid().ToString("N")[..8];
        Settings["Fleet:Cluster:HeartbeatSeconds"] = "0.5";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) Settings[key] = value;
        // One after the other: the first creates the schema and the key ring the second then finds.
        A = new FleetServer(Settings, Path.Combine(_directory, "a"));
        B = new FleetServer(Settings, Path.Combine(_directory, "b"));
    }

    public PostgresServer Postgres { get; }

    public RedisServer Redis { get; }

    public Dictionary<string, string?> Settings { get; }

    public FleetServer A { get; }

    public FleetServer B { get; }

    private bool _aStopped;

    /// <summary>Stops instance A (a clean shutdown); B stays.</summary>
    public void StopA()
    {
        if (_aStopped) return;
        _aStopped = true;
        A.Dispose();
    }

    public void Dispose()
    {
        B.Dispose();
        StopA();
        Redis.Dispose();
        Postgres.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
