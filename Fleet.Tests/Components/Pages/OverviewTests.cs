using Bunit;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Overview;
using Fleet.Tests.Components.Fakes;

namespace Fleet.Tests.Components.Pages;

public sealed class OverviewTests : FleetPageTestContext
{
    [Fact]
    public void QuietFleet_ShowsCountersAndEmptyStates()
    {
        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("#count-online").TextContent));
        Assert.Contains("Nothing needs attention", cut.Find("#attention").TextContent);
        Assert.Contains("No failed jobs", cut.Find("#recent-failed").TextContent);
        Assert.Contains("fills in as it runs", cut.Find("#online-history-empty").TextContent);
        Assert.Equal("No job has run on any host this week.", cut.Find("#success-rate").TextContent);
    }

    [Fact]
    public void HostsNeedingAttention_LinkToTheirPages_AndTheMixListsEveryVersion()
    {
        var hostId = Guid.NewGuid();
        OverviewReader.Current = OverviewReader.Current with
        {
            Attention = new AttentionList([new AttentionHost(hostId, "db-1", "disk", "a disk 97 % full", DateTimeOffset.UtcNow)], 0, 1, 0),
            AgentVersions = [new MixSlice("0.2.0", 5), new MixSlice("0.1.0", 2)],
        };

        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Equal($"/hosts/{hostId}", cut.Find("[data-attention='disk'] a").GetAttribute("href")));
        Assert.Contains("a disk 97 % full", cut.Find("[data-attention='disk']").TextContent);
        Assert.Contains("1 with a disk over 90 %", cut.Find("#attention-totals").TextContent);
        Assert.Equal(["5", "2"], cut.FindAll("#agent-mix [data-hosts]").Select(e => e.TextContent));
    }

    [Fact]
    public void FleetEvent_RefreshesTheNumbersLive()
    {
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("#count-online").TextContent));

        OverviewReader.Current = OverviewReader.Current with
        {
            Counts = OverviewReader.Current.Counts with { Online = 3 },
            RunResults = [new DailyResults(DateOnly.FromDateTime(DateTime.UtcNow), 9, 1)],
        };
        Events.Publish(new FleetEvent(FleetEventKind.HostOnline, Guid.NewGuid(), DateTimeOffset.UtcNow));

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("#count-online").TextContent));
        Assert.Equal("90 % of 10 host runs succeeded", cut.Find("#success-rate").TextContent);
    }
}
