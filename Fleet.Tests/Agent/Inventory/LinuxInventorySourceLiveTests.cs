using System.Net;
using Fleet.Agent.Inventory;
using Fleet.Domain.Inventory;

namespace Fleet.Tests.Agent.Inventory;

/// <summary>Runs against the machine the tests run on: the parsers must cope with real files, not only fixtures.</summary>
public sealed class LinuxInventorySourceLiveTests
{
    [Fact]
    public async Task CollectAsync_OnThisMachine_ReportsRealFacts()
    {
        var report = await new LinuxInventorySource().CollectAsync(InventorySections.All, CancellationToken.None);

        Assert.Contains(report.Facts.Hostname, new[] { Environment.MachineName, Dns.GetHostName() });
        Assert.Equal("linux", report.Facts.Platform);
        Assert.True(report.Facts.CpuCount > 0);
        Assert.True(report.Facts.MemoryTotalBytes > 0);
        Assert.NotEmpty(report.Facts.KernelVersion);
        Assert.NotEmpty(report.Facts.OsVersion);

        var root = Assert.Single(report.Storage!, s => s.MountPoint == "/");
        Assert.True(root.TotalBytes > 0);
        Assert.Contains(report.Users!, u => u.Username == "root" && u.Uid == 0);
        Assert.Contains(report.Groups!, g => g.Name == "root" && g.Gid == 0);
        Assert.NotEmpty(report.Network!);
        if (File.Exists("/var/lib/dpkg/status"))
        {
            Assert.NotEmpty(report.Software!);
            Assert.All(report.Software!, p => Assert.Equal("installed", p.Status));
            Assert.Null(report.CollectionError);
        }
    }
}
