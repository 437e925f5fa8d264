using Fleet.Domain.Inventory;

namespace Fleet.Tests.Domain.Inventory;

public sealed class InventoryHashTests
{
    private static InventoryReport Report() => new(
        new HostFacts("web-01", "linux", "Debian GNU/Linux 12 (bookworm)", "6.1.0-25-amd64", "0.1.0", 4, "AMD EPYC", 8L << 30, 1000, "10.0.0.5"),
        [new StorageDevice("/dev/vda1", "/", "ext4", 100L << 30, 40L << 30, 60L << 30)],
        [new NetworkInterfaceInfo("eth0", "10.0.0.5", "255.255.255.0", "10.0.0.1", "52:54:00:00:00:01", true, 1000)],
        [new UserAccount("root", 0, 0, "/root", "/bin/bash", null), new UserAccount("alice", 1000, 1000, "/home/alice", "/bin/bash", null)],
        [new UserGroup("sudo", 27, ["alice", "bob"])],
        [
            new SoftwarePackage("bash", "5.2.15-2", "amd64", "installed", "GNU Bourne Again SHell", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            new SoftwarePackage("curl", "7.88.1-10", "amd64", "installed", "command line tool for transferring data", null),
        ]);

    [Fact]
    public void Compute_IsStableAcrossCallsAndEqualReports()
    {
        var hash = InventoryHash.Compute(Report());

        Assert.Equal(hash, InventoryHash.Compute(Report()));
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void Compute_ChangesWhenAPackageVersionChanges()
    {
        var report = Report();
        var upgraded = report with
        {
            Software = [report.Software![0], report.Software[1] with { Version = "7.88.1-10+deb12u5" }],
        };

        Assert.NotEqual(InventoryHash.Compute(report), InventoryHash.Compute(upgraded));
    }

    [Fact]
    public void Compute_ChangesWhenAPackageIsRemoved()
    {
        var report = Report();

        Assert.NotEqual(InventoryHash.Compute(report), InventoryHash.Compute(report with { Software = [report.Software![0]] }));
    }

    [Fact]
    public void Compute_IgnoresUptime()
    {
        var report = Report();
        var later = report with { Facts = report.Facts with { UptimeSeconds = 987_654 } };

        Assert.Equal(InventoryHash.Compute(report), InventoryHash.Compute(later));
    }

    [Fact]
    public void Compute_IgnoresUsedAndFreeBytesButNotTotalSize()
    {
        var report = Report();
        var disk = report.Storage![0];
        var fuller = report with { Storage = [disk with { UsedBytes = 90L << 30, FreeBytes = 10L << 30 }] };
        var grown = report with { Storage = [disk with { TotalBytes = 200L << 30 }] };

        Assert.Equal(InventoryHash.Compute(report), InventoryHash.Compute(fuller));
        Assert.NotEqual(InventoryHash.Compute(report), InventoryHash.Compute(grown));
    }

    [Fact]
    public void Compute_IgnoresListOrder()
    {
        var report = Report();
        var reordered = report with
        {
            Software = report.Software!.Reverse().ToArray(),
            Users = report.Users!.Reverse().ToArray(),
            Groups = [report.Groups![0] with { Members = ["bob", "alice"] }],
        };

        Assert.Equal(InventoryHash.Compute(report), InventoryHash.Compute(reordered));
    }

    [Fact]
    public void Compute_ChangesWhenAMeaningfulFactChanges()
    {
        var report = Report();

        Assert.NotEqual(InventoryHash.Compute(report), InventoryHash.Compute(report with { Facts = report.Facts with { KernelVersion = "6.1.0-26-amd64" } }));
        Assert.NotEqual(InventoryHash.Compute(report), InventoryHash.Compute(report with { CollectionError = "users: permission denied" }));
    }
}
