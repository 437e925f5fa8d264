using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class HostFactsParserTests : IDisposable
{
    private readonly FixtureRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ParseOsRelease_ReturnsUnquotedPrettyName()
    {
        _root.Write("/etc/os-release", """
            NAME="Ubuntu"
            VERSION="24.04.1 LTS (Noble Numbat)"
            # a comment = with an equals sign
            PRETTY_NAME="Ubuntu 24.04.1 LTS"
            ID=ubuntu
            """);
        using var reader = _root.Open("/etc/os-release");

        Assert.Equal("Ubuntu 24.04.1 LTS", HostFactsParser.ParseOsRelease(reader));
    }

    [Fact]
    public void ParseOsRelease_WithoutPrettyName_CombinesNameAndVersion()
    {
        _root.Write("/etc/os-release", "NAME='Alpine Linux'\nVERSION=3.20.3\n");
        using var reader = _root.Open("/etc/os-release");

        Assert.Equal("Alpine Linux 3.20.3", HostFactsParser.ParseOsRelease(reader));
    }

    [Fact]
    public void ParseCpuInfo_CountsProcessorsAndTakesFirstModelName()
    {
        _root.Write("/proc/cpuinfo", """
            processor	: 0
            vendor_id	: AuthenticAMD
            model name	: AMD EPYC 7763 64-Core Processor
            flags		: fpu vme de

            processor	: 1
            vendor_id	: AuthenticAMD
            model name	: AMD EPYC 7763 64-Core Processor

            processor	: 2
            model name	: AMD EPYC 7763 64-Core Processor

            """);
        using var reader = _root.Open("/proc/cpuinfo");

        var cpu = HostFactsParser.ParseCpuInfo(reader);

        Assert.Equal(3, cpu.ProcessorCount);
        Assert.Equal("AMD EPYC 7763 64-Core Processor", cpu.Model);
    }

    [Fact]
    public void ParseCpuInfo_OnArmWithoutModelName_FallsBackToModel()
    {
        _root.Write("/proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 108.00\n\nprocessor\t: 1\n\nModel\t: Raspberry Pi 4 Model B Rev 1.4\n");
        using var reader = _root.Open("/proc/cpuinfo");

        var cpu = HostFactsParser.ParseCpuInfo(reader);

        Assert.Equal(2, cpu.ProcessorCount);
        Assert.Equal("Raspberry Pi 4 Model B Rev 1.4", cpu.Model);
    }

    [Fact]
    public void ParseMemTotalBytes_ConvertsKibToBytes()
    {
        _root.Write("/proc/meminfo", "MemTotal:       16314164 kB\nMemFree:         1204344 kB\nMemAvailable:   9876543 kB\n");
        using var reader = _root.Open("/proc/meminfo");

        Assert.Equal(16314164L * 1024, HostFactsParser.ParseMemTotalBytes(reader));
    }

    [Fact]
    public void ParseMemTotalBytes_WithoutMemTotal_ReturnsNull()
    {
        _root.Write("/proc/meminfo", "MemFree:         1204344 kB\n");
        using var reader = _root.Open("/proc/meminfo");

        Assert.Null(HostFactsParser.ParseMemTotalBytes(reader));
    }

    [Theory]
    [InlineData("350735.47 1381211.88", 350735L)]
    [InlineData("12.99 3.00\n", 12L)]
    public void ParseUptimeSeconds_TakesWholeSecondsOfFirstNumber(string content, long expected)
    {
        _root.Write("/proc/uptime", content);

        Assert.Equal(expected, HostFactsParser.ParseUptimeSeconds(File.ReadAllText(_root.PathOf("/proc/uptime"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-number 1.0")]
    public void ParseUptimeSeconds_WhenGarbled_ReturnsNull(string content) =>
        Assert.Null(HostFactsParser.ParseUptimeSeconds(content));
}
