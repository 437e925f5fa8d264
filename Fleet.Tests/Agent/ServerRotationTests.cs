using Fleet.Agent;

namespace Fleet.Tests.Agent;

public sealed class ServerRotationTests
{
    private static readonly Uri A = new("http://a.example:5000/");
    private static readonly Uri B = new("http://b.example:5000/");
    private static readonly Uri C = new("https://c.example/");

    /// <summary>Always the top of the jitter range, so each delay is exactly 250 ms + the ceiling of its round.</summary>
    private sealed class HighestJitter : Random
    {
        public override double NextDouble() => 1.0;
    }

    [Fact]
    public void Parse_CommaList_KeepsOrder_DropsBlanksAndRepeats()
    {
        var servers = ServerRotation.Parse(" http://a.example:5000 ,, https://c.example/ ,http://a.example:5000/, http://b.example:5000");
        Assert.Equal([A, C, B], servers);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("a.example:5000")]
    [InlineData("ftp://a.example/")]
    [InlineData("http://a.example:5000,not a url")]
    public void Parse_NoOrBadAddress_Throws(string value) => Assert.Throws<FormatException>(() => ServerRotation.Parse(value));

    [Fact]
    public void Failed_MovesToTheNextServer_AndWrapsAround()
    {
        var rotation = new ServerRotation([A, B, C], new Random(1));
        var seen = new List<Uri> { rotation.Current };
        for (var i = 0; i < 4; i++)
        {
            rotation.Failed(TimeSpan.FromSeconds(60));
            seen.Add(rotation.Current);
        }
        Assert.Equal([A, B, C, A, B], seen);
    }

    [Fact]
    public void Failed_DelayGrowsOncePerFullRoundOfServers_UpToTheMaximum()
    {
        var rotation = new ServerRotation([A, B], new HighestJitter());
        var delays = Enumerable.Range(0, 8).Select(_ => rotation.Failed(TimeSpan.FromSeconds(5)).TotalMilliseconds).ToList();
        // Rounds 0, 0, 1, 1, 2, 2, 3, 3: ceilings 1 s, 2 s, 4 s, then the 5 s maximum.
        Assert.Equal([1250, 1250, 2250, 2250, 4250, 4250, 5250, 5250], delays);
    }

    [Fact]
    public void Connected_StartsTheNextFailureFromTheShortestDelay_OnTheNextServer()
    {
        var rotation = new ServerRotation([A, B], new HighestJitter());
        for (var i = 0; i < 5; i++) rotation.Failed(TimeSpan.FromSeconds(60));
        Assert.Equal(B, rotation.Current);
        rotation.Connected();
        Assert.Equal(1250, rotation.Failed(TimeSpan.FromSeconds(60)).TotalMilliseconds);
        Assert.Equal(A, rotation.Current);
    }

    [Fact]
    public void OneServer_WaitsAsTheSingleServerAgentDid()
    {
        var rotation = new ServerRotation([A], new Random(7));
        var reference = new Random(7);
        for (var attempt = 0; attempt < 6; attempt++)
        {
            Assert.Equal(Backoff.Delay(attempt, TimeSpan.FromSeconds(60), reference), rotation.Failed(TimeSpan.FromSeconds(60)));
            Assert.Equal(A, rotation.Current);
        }
    }

    [Fact]
    public void Delays_AreJittered_SoAFleetDoesNotReturnInLockstep()
    {
        var first = Enumerable.Range(0, 50).Select(seed => new ServerRotation([A, B], new Random(seed)).Failed(TimeSpan.FromSeconds(60))).ToList();
        Assert.All(first, d => Assert.InRange(d.TotalMilliseconds, 250, 1250));
        Assert.True(first.Distinct().Count() > 40, $"only {first.Distinct().Count()} distinct delays of 50");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 1)]
    [InlineData(-1, 2)]
    public void FirstServer_SpreadsAgentsOverTheList(int first, int expected)
    {
        Uri[] servers = [A, B, C];
        Assert.Equal(servers[expected], new ServerRotation(servers, new Random(1), first).Current);
    }
}
