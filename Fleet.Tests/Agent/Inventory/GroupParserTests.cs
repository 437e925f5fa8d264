using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class GroupParserTests : IDisposable
{
    private readonly FixtureRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Parse_ReadsListedMembersOnly()
    {
        _root.Write("/etc/group", """
            root:x:0:
            sudo:x:27:alice,bob
            alice:x:1000:
            docker:x:999:alice
            """);
        using var reader = _root.Open("/etc/group");

        var groups = GroupParser.Parse(reader).ToDictionary(g => g.Name);

        Assert.Equal(4, groups.Count);
        Assert.Equal(["alice", "bob"], groups["sudo"].Members);
        Assert.Equal(27, groups["sudo"].Gid);
        Assert.Empty(groups["alice"].Members);
        Assert.Empty(groups["root"].Members);
    }

    [Fact]
    public void Parse_SkipsMalformedLines()
    {
        _root.Write("/etc/group", "users:x:100:carol\nnogid:x::\n# comment\n");
        using var reader = _root.Open("/etc/group");

        var group = Assert.Single(GroupParser.Parse(reader));
        Assert.Equal("users", group.Name);
        Assert.Equal(["carol"], group.Members);
    }
}
