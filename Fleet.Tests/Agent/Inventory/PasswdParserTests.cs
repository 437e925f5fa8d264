using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class PasswdParserTests : IDisposable
{
    private readonly FixtureRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Parse_ReadsNameIdsHomeAndShell()
    {
        _root.Write("/etc/passwd", """
            root:x:0:0:root:/root:/bin/bash
            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
            alice:x:1000:1000:Alice Example,,,:/home/alice:/bin/zsh
            """);
        using var reader = _root.Open("/etc/passwd");

        var users = PasswdParser.Parse(reader);

        Assert.Equal(3, users.Count);
        Assert.Equal(new PasswdEntry("alice", 1000, 1000, "/home/alice", "/bin/zsh"), users[2]);
        Assert.Equal(new PasswdEntry("root", 0, 0, "/root", "/bin/bash"), users[0]);
    }

    [Fact]
    public void Parse_SkipsCommentsNisLinesAndMalformedEntries()
    {
        _root.Write("/etc/passwd", """
            # local accounts
            root:x:0:0:root:/root:/bin/bash
            +@netgroup::::::
            broken:x:notanumber:0::/:/bin/sh
            short:x:5

            """);
        using var reader = _root.Open("/etc/passwd");

        Assert.Equal("root", Assert.Single(PasswdParser.Parse(reader)).Username);
    }
}
