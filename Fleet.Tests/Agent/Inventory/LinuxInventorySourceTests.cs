using Fleet.Agent.Inventory;
using Fleet.Domain.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class LinuxInventorySourceTests : IDisposable
{
    private static readonly DateTimeOffset BashInstalled = new(2024, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private static readonly DateTimeOffset LibcInstalled = new(2023, 7, 8, 9, 10, 11, TimeSpan.Zero);

    private readonly FixtureRoot _root = new();

    public LinuxInventorySourceTests()
    {
        _root.Write("/proc/sys/kernel/hostname", "web-01\n");
        _root.Write("/proc/sys/kernel/osrelease", "6.1.0-25-amd64\n");
        _root.Write("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n");
        _root.Write("/proc/cpuinfo", "processor\t: 0\nmodel name\t: AMD EPYC 7763 64-Core Processor\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7763 64-Core Processor\n");
        _root.Write("/proc/meminfo", "MemTotal:        8048576 kB\nMemFree:          123456 kB\n");
        _root.Write("/proc/uptime", "90061.25 170000.00\n");
        _root.Write("/proc/mounts", "proc /proc proc rw 0 0\n/dev/vda1 / ext4 rw,relatime 0 0\ntmpfs /run tmpfs rw 0 0\n");
        _root.Write("/proc/net/route", "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\nens3\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
        _root.Write("/sys/class/net/ens3/operstate", "up\n");
        _root.Write("/sys/class/net/ens3/address", "52:54:00:00:00:01\n");
        _root.Write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
        _root.Write("/etc/group", "root:x:0:\nsudo:x:27:alice\n");
        _root.Write("/var/lib/dpkg/status",
            "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7\nDescription: GNU Bourne Again SHell\n more\n\n" +
            "Package: libc6\nStatus: install ok installed\nMulti-Arch: same\nArchitecture: amd64\nVersion: 2.36-9\nDescription: GNU C Library\n\n" +
            "Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1\nDescription: removed\n");
        File.SetLastWriteTimeUtc(_root.Write("/var/lib/dpkg/info/bash.list", "/bin/bash\n"), BashInstalled.UtcDateTime);
        File.SetLastWriteTimeUtc(_root.Write("/var/lib/dpkg/info/libc6:amd64.list", "/lib\n"), LibcInstalled.UtcDateTime);
    }

    public void Dispose() => _root.Dispose();

    private LinuxInventorySource Source() => new(_root.Directory, agentVersion: "9.9.9",
        interfaceAddresses: () => new Dictionary<string, Ipv4Binding> { ["ens3"] = new("10.0.0.5", "255.255.255.0") });

    [Fact]
    public async Task CollectAsync_ReadsFactsFromTheRootDirectory()
    {
        var report = await Source().CollectAsync(InventorySections.None, CancellationToken.None);

        Assert.Equal(
            new HostFacts("web-01", "linux", "Debian GNU/Linux 12 (bookworm)", "6.1.0-25-amd64", "9.9.9", 2,
                "AMD EPYC 7763 64-Core Processor", 8048576L * 1024, 90061, "10.0.0.5"),
            report.Facts);
        Assert.Null(report.CollectionError);
    }

    [Fact]
    public async Task CollectAsync_ReadsSerialModelAndManufacturerFromDmi_AndDropsFirmwarePlaceholders()
    {
        _root.Write("/sys/class/dmi/id/product_serial", "SN123456789\n");
        _root.Write("/sys/class/dmi/id/product_name", "PowerEdge R740\n");
        _root.Write("/sys/class/dmi/id/sys_vendor", "To Be Filled By O.E.M.\n");

        var facts = (await Source().CollectAsync(InventorySections.None, CancellationToken.None)).Facts;

        Assert.Equal("SN123456789", facts.SerialNumber);
        Assert.Equal("PowerEdge R740", facts.Model);
        Assert.Null(facts.Manufacturer);
    }

    [Fact]
    public async Task CollectAsync_LeavesSectionsNotAskedForNull()
    {
        var report = await Source().CollectAsync(InventorySections.Users | InventorySections.Network, CancellationToken.None);

        Assert.NotNull(report.Users);
        Assert.NotNull(report.Network);
        Assert.Null(report.Storage);
        Assert.Null(report.Groups);
        Assert.Null(report.Software);
    }

    [Fact]
    public async Task CollectAsync_AllSections_ReadsEveryFixture()
    {
        var report = await Source().CollectAsync(InventorySections.All, CancellationToken.None);

        Assert.Null(report.CollectionError);
        var root = Assert.Single(report.Storage!);
        Assert.Equal(("/dev/vda1", "/", "ext4"), (root.Device, root.MountPoint, root.Filesystem));
        Assert.True(root.TotalBytes > 0, "the fixture root lives on a real filesystem, so it has a size");
        var nic = Assert.Single(report.Network!);
        Assert.Equal(("ens3", "10.0.0.5", "10.0.0.1", true), (nic.Name, nic.IpAddress, nic.Gateway, nic.IsUp));
        Assert.Equal(["root", "alice"], report.Users!.Select(u => u.Username));
        Assert.Equal(["alice"], report.Groups!.Single(g => g.Name == "sudo").Members);
        Assert.Equal(["bash", "libc6"], report.Software!.Select(p => p.Name));
    }

    [Fact]
    public async Task CollectAsync_TakesDpkgInstallDateFromPlainOrMultiArchListFile()
    {
        var report = await Source().CollectAsync(InventorySections.Software, CancellationToken.None);

        var byName = report.Software!.ToDictionary(p => p.Name);
        Assert.Equal(BashInstalled, byName["bash"].InstallDate);
        Assert.Equal(LibcInstalled, byName["libc6"].InstallDate);
    }

    [Fact]
    public async Task CollectAsync_WhenOneSectionFails_NamesItAndReturnsTheOthers()
    {
        File.Delete(_root.PathOf("/etc/group"));

        var report = await Source().CollectAsync(InventorySections.All, CancellationToken.None);

        Assert.Null(report.Groups);
        Assert.NotNull(report.CollectionError);
        Assert.StartsWith("groups:", report.CollectionError);
        Assert.NotNull(report.Users);
        Assert.NotNull(report.Software);
        Assert.Equal("web-01", report.Facts.Hostname);
    }

    [Fact]
    public async Task CollectAsync_WithoutAnyPackageDatabase_ReportsSoftwareError()
    {
        File.Delete(_root.PathOf("/var/lib/dpkg/status"));

        var report = await Source().CollectAsync(InventorySections.Software, CancellationToken.None);

        Assert.Null(report.Software);
        Assert.Contains("software:", report.CollectionError);
    }

    [Fact]
    public async Task CollectAsync_WithMissingProcFiles_StillReturnsFacts()
    {
        File.Delete(_root.PathOf("/proc/meminfo"));
        File.Delete(_root.PathOf("/proc/uptime"));

        var report = await Source().CollectAsync(InventorySections.None, CancellationToken.None);

        Assert.Equal(0, report.Facts.MemoryTotalBytes);
        Assert.Equal(0, report.Facts.UptimeSeconds);
        Assert.Equal(2, report.Facts.CpuCount);
    }
}
