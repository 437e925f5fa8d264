using Fleet.Domain.Inventory;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Overview;
using Fleet.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.Overview;

/// <summary>The overview's numbers, read from a real server with real agents.</summary>
public sealed class OverviewReaderTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Slices_MoreThanSix_KeepsTheLargestFiveAndGathersTheRestAsOther()
    {
        var slices = OverviewReader.Slices([("a", 1), ("b", 9), ("c", 3), ("d", 8), ("e", 2), ("f", 7), ("g", 4), ("b", 1)]);

        Assert.Equal(["b", "d", "f", "g", "c", "Other"], slices.Select(s => s.Label));
        Assert.Equal(10, slices[0].Hosts);
        Assert.Equal(3, slices[^1].Hosts);
    }

    [Fact]
    public async Task Overview_ShowsTheMix_TheFullDisk_TheOfflineHost_AndTodaysRuns()
    {
        var full = new FixedInventorySource("ov-full");
        full.Storage.Add(new StorageDevice("/dev/sdb1", "/var", "ext4", 100L << 30, 90L << 30, 5L << 30));
        var fullAgent = _server.StartAgent("machine-ov-full", "ov-full", full);
        await Eventually.Until(() => fullAgent.Agent.IsAccepted, "ov-full accepted");
        await _server.StartAcceptedAgentAsync("ov-ok");
        var away = await _server.StartAcceptedAgentAsync("ov-away");
        var reader = _server.Get<IOverviewReader>();
        await Eventually.Until(() => reader.GetAsync(), o => o.Attention.DiskNearlyFullTotal == 1, "the full disk reported");

        var succeeded = await _server.RunAsync("true", "name ~ ov-");
        await _server.WaitForEndAsync(succeeded);
        var failed = await _server.RunAsync("exit 3", "name = ov-ok");
        await _server.WaitForEndAsync(failed);
        await away.StopAsync();
        var overview = await Eventually.Until(() => reader.GetAsync(), o => o.Attention.OfflineTotal == 1 && o.Counts.Online == 2, "ov-away offline");

        Assert.Equal(new MixSlice("Ubuntu 22.04 LTS", 3), Assert.Single(overview.OperatingSystems));
        Assert.Equal(new MixSlice("0.1.0", 3), Assert.Single(overview.AgentVersions));
        var disk = Assert.Single(overview.Attention.Hosts, h => h.Reason == "disk");
        Assert.Equal("ov-full", disk.Hostname);
        Assert.Equal("a disk 95 % full", disk.Detail);
        Assert.Equal("ov-away", Assert.Single(overview.Attention.Hosts, h => h.Reason == "offline").Hostname);
        var today = overview.RunResults[^1];
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow), today.Day);
        Assert.Equal(3, today.Succeeded);
        Assert.Equal(1, today.Failed);
        Assert.Equal(75, today.SuccessPercent);
        Assert.Null(overview.RunResults[0].SuccessPercent);
        Assert.Equal(failed, Assert.Single(overview.RecentFailedJobs).Id);

        // The fleet table carries the same facts per host: the fullest disk and the latest finished run.
        var rows = (await _server.Get<IFleetReader>().ListHostsAsync(new HostListQuery(Search: "ov-"))).Items.ToDictionary(r => r.Hostname);
        Assert.Equal(95, rows["ov-full"].FullestDiskPercent);
        Assert.Equal(45, rows["ov-ok"].FullestDiskPercent);
        Assert.Equal(new { InvocationId = failed, Status = "failure" }, new { rows["ov-ok"].LastJob!.InvocationId, rows["ov-ok"].LastJob!.Status });
        Assert.Equal(new { InvocationId = succeeded, Status = "success" }, new { rows["ov-full"].LastJob!.InvocationId, rows["ov-full"].LastJob!.Status });
    }

    [Fact]
    public async Task SampleJob_RecordsTheOnlineCount_AndTheHistoryEndsWithThePresent()
    {
        await _server.StartAcceptedAgentAsync("ov-sampled");
        var reader = _server.Get<IOverviewReader>();
        Assert.Single((await reader.GetAsync()).OnlineHistory);

        await _server.Get<FleetSampleJob>().RunAsync();

        await using (var db = _server.Db())
        {
            var sample = await db.FleetSamples.SingleAsync();
            Assert.Equal(1, sample.Online);
            Assert.Equal(1, sample.Total);
        }
        var history = (await reader.GetAsync()).OnlineHistory;
        Assert.Equal(2, history.Count);
        Assert.True(history[1].At >= history[0].At);
    }
}
