namespace Fleet.Tests.Infrastructure;

/// <summary>
/// Two Fleet.Web instances (A and B, in-process Kestrel servers) sharing one database and one private Redis: the scale-out
/// mode. The database is <see cref="ClusterDatabase"/>'s: one SQLite file both instances open, a development stand-in until
/// the PostgreSQL provider lands.
/// </summary>
public sealed class ClusterServers : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "cluster-" + Guid.NewGuid().ToString("N"));

    public ClusterServers(IDictionary<string, string?>? settings = null)
    {
        Directory.CreateDirectory(_directory);
        Redis = new RedisServer();
        Settings = ClusterDatabase.Settings(_directory);
        Settings["ConnectionStrings:Redis"] = Redis.ConnectionString;
        Settings["Fleet:Cluster:ChannelPrefix"] = "test-" + Guid.NewGuid().ToString("N")[..8];
        Settings["Fleet:Cluster:HeartbeatSeconds"] = "0.5";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) Settings[key] = value;
        // One after the other: the first creates the schema and the key ring the second then finds.
        A = new FleetServer(Settings, Path.Combine(_directory, "a"));
        B = new FleetServer(Settings, Path.Combine(_directory, "b"));
    }

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
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The database the cluster tests share between instances.</summary>
public static class ClusterDatabase
{
    public static Dictionary<string, string?> Settings(string directory) => new()
    {
        ["ConnectionStrings:Fleet"] = $"Data Source={Path.Combine(directory, "fleet.db")}",
    };
}
