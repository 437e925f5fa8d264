using System.Net;
using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class RouteTableParserTests : IDisposable
{
    private const string Routes = """
        Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
        wlan0	00000000	FE01A8C0	0003	0	0	600	00000000	0	0	0
        eth0	00000000	010200C0	0003	0	0	100	00000000	0	0	0
        eth0	000200C0	00000000	0001	0	0	100	00FFFFFF	0	0	0
        docker0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0
        """;

    private readonly FixtureRoot _root = new();

    public void Dispose() => _root.Dispose();

    private IReadOnlyList<RouteEntry> ParseFixture()
    {
        _root.Write("/proc/net/route", Routes);
        using var reader = _root.Open("/proc/net/route");
        return RouteTableParser.Parse(reader);
    }

    [Fact]
    public void Parse_DecodesLittleEndianHexAddresses()
    {
        var routes = ParseFixture();

        var subnet = routes.Single(r => r.Interface == "eth0" && !r.IsDefault);
        Assert.Equal(IPAddress.Parse("192.0.2.0"), subnet.Destination);
        Assert.Equal(IPAddress.Parse("255.255.255.0"), subnet.Mask);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), routes.Single(r => r.Interface == "eth0" && r.IsDefault).Gateway);
    }

    [Fact]
    public void DefaultRoute_PicksLowestMetric()
    {
        var route = RouteTableParser.DefaultRoute(ParseFixture());

        Assert.NotNull(route);
        Assert.Equal("eth0", route.Interface);
        Assert.True(route.IsGateway);
    }

    [Fact]
    public void Parse_SkipsHeaderAndRoutesThatAreNotUp()
    {
        _root.Write("/proc/net/route", "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n");
        using var reader = _root.Open("/proc/net/route");

        Assert.Empty(RouteTableParser.Parse(reader));
    }
}
