using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class LastlogReaderTests : IDisposable
{
    private readonly FixtureRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void LastLogin_ReadsTimeAtUidTimesRecordSize()
    {
        var when = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
        var file = new byte[LastlogReader.RecordSize * 1001];
        BitConverter.GetBytes((int)when.ToUnixTimeSeconds()).CopyTo(file, LastlogReader.RecordSize * 1000);
        "pts/0"u8.ToArray().CopyTo(file, LastlogReader.RecordSize * 1000 + 4);
        _root.WriteBytes("/var/log/lastlog", file);

        using var lastlog = new LastlogReader(_root.PathOf("/var/log/lastlog"));

        Assert.Equal(when, lastlog.LastLogin(1000));
        Assert.Null(lastlog.LastLogin(0));
    }

    [Fact]
    public void LastLogin_BeyondEndOfFile_IsNull()
    {
        _root.WriteBytes("/var/log/lastlog", new byte[LastlogReader.RecordSize]);

        using var lastlog = new LastlogReader(_root.PathOf("/var/log/lastlog"));

        Assert.Null(lastlog.LastLogin(65534));
    }

    [Fact]
    public void LastLogin_WhenFileIsMissing_IsNull()
    {
        using var lastlog = new LastlogReader(_root.PathOf("/var/log/lastlog"));

        Assert.Null(lastlog.LastLogin(0));
    }
}
