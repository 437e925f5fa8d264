using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class RpmQueryParserTests : IDisposable
{
    private readonly FixtureRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Parse_ReadsTabSeparatedFieldsAndInstallTime()
    {
        _root.Write("/rpm-qa.txt",
            "bash\t5.1.8-9.el9\tx86_64\t1717171717\tThe GNU Bourne Again shell\n" +
            "gpg-pubkey\t350d275d-6279464b\t(none)\t1717000000\tgpg(Rocky Enterprise Software Foundation)\n" +
            "tzdata\t2024a-1.el9\tnoarch\t1717171800\tTimezone data\twith a tab in the summary\n");
        using var reader = _root.Open("/rpm-qa.txt");

        var packages = RpmQueryParser.Parse(reader);

        Assert.Equal(["bash", "tzdata"], packages.Select(p => p.Name));
        var bash = packages[0];
        Assert.Equal("5.1.8-9.el9", bash.Version);
        Assert.Equal("x86_64", bash.Architecture);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1717171717), bash.InstallDate);
        Assert.Equal("The GNU Bourne Again shell", bash.Description);
        Assert.Equal("Timezone data\twith a tab in the summary", packages[1].Description);
    }
}
