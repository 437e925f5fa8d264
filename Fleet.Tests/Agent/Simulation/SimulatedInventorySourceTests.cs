using Fleet.Agent.Simulation;
using Fleet.Domain.Inventory;

namespace Fleet.Tests.Agent.Simulation;

public sealed class SimulatedInventorySourceTests
{
    private static Task<InventoryReport> Collect(int index, int seed = 42, InventorySections sections = InventorySections.All) =>
        new SimulatedInventorySource(index, seed).CollectAsync(sections, CancellationToken.None);

    [Fact]
    public async Task CollectAsync_SameIndexAndSeed_GivesTheSameInventory()
    {
        var first = await Collect(17);
        var second = await Collect(17);

        Assert.Equal(first.Facts, second.Facts);
        Assert.Equal(first.Storage, second.Storage);
        Assert.Equal(first.Network, second.Network);
        Assert.Equal(first.Users, second.Users);
        Assert.Equal(first.Software, second.Software);
        Assert.Equal(
            first.Groups!.Select(g => (g.Name, g.Gid, string.Join(',', g.Members))),
            second.Groups!.Select(g => (g.Name, g.Gid, string.Join(',', g.Members))));
        Assert.Equal(InventoryHash.Compute(first), InventoryHash.Compute(second));
    }

    [Fact]
    public async Task CollectAsync_DifferentSeed_GivesADifferentInventory()
    {
        var a = await Collect(17, seed: 1);
        var b = await Collect(17, seed: 2);

        Assert.NotEqual(InventoryHash.Compute(a), InventoryHash.Compute(b));
    }

    [Fact]
    public async Task CollectAsync_VariesAcrossIndexes()
    {
        var reports = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Collect(i)));

        Assert.True(reports.Select(r => r.Facts.OsVersion).Distinct().Count() >= 4, "several distributions");
        Assert.True(reports.Select(r => r.Facts.CpuCount).Distinct().Count() >= 4, "several CPU counts");
        Assert.True(reports.Select(r => r.Facts.MemoryTotalBytes).Distinct().Count() >= 100, "memory differs per host");
        Assert.Equal([1, 2, 3], reports.Select(r => r.Storage!.Count).Distinct().Order());
        Assert.Equal([1, 2, 3], reports.Select(r => r.Network!.Count).Distinct().Order());
        Assert.Equal(200, reports.Select(r => r.Facts.IpAddress).Distinct().Count());
        Assert.Equal(200, reports.Select(InventoryHash.Compute).Distinct().Count());
    }

    [Fact]
    public async Task CollectAsync_PackageCountIsBetween20And300WithUniqueNames()
    {
        var reports = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Collect(i)));

        Assert.All(reports, r =>
        {
            Assert.InRange(r.Software!.Count, 20, 300);
            Assert.Equal(r.Software!.Count, r.Software!.Select(p => p.Name).Distinct().Count());
        });
        Assert.True(reports.Max(r => r.Software!.Count) > 200);
        Assert.True(reports.Min(r => r.Software!.Count) < 60);
    }

    [Fact]
    public async Task CollectAsync_AgentsShareThePackageRecordsOfTheStaticPool()
    {
        var reports = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Collect(i)));

        var shared = reports
            .SelectMany(r => r.Software!)
            .GroupBy(p => (p.Name, p.Version, p.Architecture))
            .Where(g => g.Count() > 1)
            .ToList();
        Assert.NotEmpty(shared);
        Assert.All(shared, g => Assert.All(g, p => Assert.Same(g.First(), p)));
    }

    [Fact]
    public async Task CollectAsync_FillsOnlyRequestedSectionsAndKeepsFactsIndependentOfThem()
    {
        var factsOnly = await Collect(5, sections: InventorySections.None);
        var all = await Collect(5);

        Assert.Null(factsOnly.Software);
        Assert.Null(factsOnly.Storage);
        Assert.Null(factsOnly.Users);
        Assert.Equal(all.Facts, factsOnly.Facts);
    }

    [Fact]
    public async Task Identity_FollowsTheSeedAndIndex()
    {
        var source = new SimulatedInventorySource(42, 7);
        var report = await source.CollectAsync(InventorySections.None, CancellationToken.None);

        Assert.Equal("sim-7-00042", source.Hostname);
        Assert.Equal(source.Hostname, report.Facts.Hostname);
        Assert.Matches("^[0-9a-f]{32}$", source.MachineId);
        Assert.Equal(source.MachineId, new SimulatedInventorySource(42, 7).MachineId);
        Assert.NotEqual(source.MachineId, new SimulatedInventorySource(43, 7).MachineId);
    }

    [Fact]
    public async Task CollectAsync_AddressesAreInTenSlashEight()
    {
        var reports = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Collect(i * 997)));

        Assert.All(reports.SelectMany(r => r.Network!), n => Assert.StartsWith("10.", n.IpAddress));
        Assert.All(reports, r => Assert.Equal(r.Network![0].IpAddress, r.Facts.IpAddress));
    }

    [Fact]
    public async Task CollectAsync_UsersIncludeRootAndGroupMembersAreKnownUsers()
    {
        var report = await Collect(3);

        Assert.Contains(report.Users!, u => u.Username == "root" && u.Uid == 0);
        var userNames = report.Users!.Select(u => u.Username).ToHashSet();
        Assert.All(report.Groups!.SelectMany(g => g.Members), m => Assert.Contains(m, userNames));
    }
}
