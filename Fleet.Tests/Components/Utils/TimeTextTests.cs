using Fleet.Web.Components.Utils;

namespace Fleet.Tests.Components.Utils;

public sealed class TimeTextTests
{
    [Theory]
    [InlineData(0.25, "250 ms")]
    [InlineData(4.25, "4.3 s")]
    [InlineData(185, "3 min 5 s")]
    [InlineData(7_800, "2 h 10 min")]
    [InlineData(90_000, "1 d 1 h")]
    [InlineData(-3, "0 ms")]
    public void Duration_ReadsLikeAPersonWouldSayIt(double seconds, string expected) =>
        Assert.Equal(expected, TimeText.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Duration_WithoutAnEnd_RunsOnToNow_AndIsEmptyBeforeTheStart()
    {
        var now = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal("30.0 s", TimeText.Duration(now.AddSeconds(-30), null, now));
        Assert.Equal("", TimeText.Duration(null, null, now));
    }
}
