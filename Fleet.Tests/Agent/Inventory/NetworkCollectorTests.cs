using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class NetworkCollectorTests : IDisposable
{
    private readonly FixtureRoot _root = new();

    public NetworkCollectorTests()
    {
        WriteInterface("eth0", "up", "52:54:00:12:34:56", speed: "1000", flags: "0x1003");
        WriteInterface("lo", "unknown", "00:00:00:00:00:00", speed: null, flags: "0x9");
        WriteInterface("wg0", "unknown", "", speed: "-1", flags: "0x1090");
        WriteInterface("eth1", "down", "52:54:00:ab:cd:ef", speed: "-1", flags: "0x1002");
        _root.Write("/sys/class/net/bonding_masters", "");
        _root.Write("/proc/net/route", """
            Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
            eth0	00000000	0101A8C0	0003	0	0	100	00000000	0	0	0
            eth0	0001A8C0	00000000	0001	0	0	100	00FFFFFF	0	0	0
            """);
    }

    public void Dispose() => _root.Dispose();

    private void WriteInterface(string name, string operstate, string mac, string? speed, string flags)
    {
        _root.Write($"/sys/class/net/{name}/operstate", operstate + "\n");
        _root.Write($"/sys/class/net/{name}/address", mac + "\n");
        _root.Write($"/sys/class/net/{name}/flags", flags + "\n");
        if (speed is not null) _root.Write($"/sys/class/net/{name}/speed", speed + "\n");
    }

    private NetworkCollector Collector() => new(new HostRoot(_root.Directory), () => new Dictionary<string, Ipv4Binding>
    {
        ["eth0"] = new("192.168.1.23", "255.255.255.0"),
        ["lo"] = new("127.0.0.1", "255.0.0.0"),
    });

    [Fact]
    public void Collect_ReadsStateMacSpeedAddressAndGateway()
    {
        var eth0 = Collector().Collect().Single(n => n.Name == "eth0");

        Assert.True(eth0.IsUp);
        Assert.Equal("52:54:00:12:34:56", eth0.MacAddress);
        Assert.Equal(1000, eth0.SpeedMbps);
        Assert.Equal("192.168.1.23", eth0.IpAddress);
        Assert.Equal("255.255.255.0", eth0.Netmask);
        Assert.Equal("192.168.1.1", eth0.Gateway);
    }

    [Fact]
    public void Collect_TreatsMissingOrNegativeSpeedAsUnknown()
    {
        var byName = Collector().Collect().ToDictionary(n => n.Name);

        Assert.Null(byName["lo"].SpeedMbps);
        Assert.Null(byName["eth1"].SpeedMbps);
    }

    [Fact]
    public void Collect_UsesUpFlagWhenOperstateIsUnknown()
    {
        var byName = Collector().Collect().ToDictionary(n => n.Name);

        Assert.True(byName["lo"].IsUp);
        Assert.False(byName["wg0"].IsUp);
        Assert.False(byName["eth1"].IsUp);
        Assert.Null(byName["lo"].MacAddress);
        Assert.Null(byName["eth1"].Gateway);
    }

    [Fact]
    public void Collect_ListsInterfaceDirectoriesOnlyInNameOrder()
    {
        Assert.Equal(["eth0", "eth1", "lo", "wg0"], Collector().Collect().Select(n => n.Name));
    }

    [Fact]
    public void PrimaryIpAddress_IsTheDefaultRouteInterfaceAddress()
    {
        Assert.Equal("192.168.1.23", Collector().PrimaryIpAddress());
    }

    [Fact]
    public void PrimaryIpAddress_WithoutDefaultRoute_IsFirstNonLoopbackAddress()
    {
        var collector = new NetworkCollector(new HostRoot(_root.Directory), () => new Dictionary<string, Ipv4Binding>
        {
            ["lo"] = new("127.0.0.1", "255.0.0.0"),
            ["eth1"] = new("10.0.0.7", "255.0.0.0"),
        });

        Assert.Equal("10.0.0.7", collector.PrimaryIpAddress());
    }
}
