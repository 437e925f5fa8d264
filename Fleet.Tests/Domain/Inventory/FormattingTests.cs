using Fleet.Domain.Inventory;

namespace Fleet.Tests.Domain.Inventory;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(8L * 1024 * 1024 * 1024, "8 GB")]
    [InlineData(100L * 1024 * 1024 * 1024, "100 GB")]
    [InlineData(-5, "0 B")]
    public void Bytes_UsesBinaryUnitsLikeTheSeed(long bytes, string expected) => Assert.Equal(expected, Formatting.Bytes(bytes));

    [Fact]
    public void Uptime_SpellsDaysHoursMinutes() =>
        Assert.Equal("15 days, 3 hours, 22 minutes", Formatting.Uptime(15 * 86400 + 3 * 3600 + 22 * 60 + 10));

    [Fact]
    public void Uptime_ShortUptimeShowsMinutesOnly() => Assert.Equal("1 minute", Formatting.Uptime(61));

    [Theory]
    [InlineData(45, 100, 45)]
    [InlineData(1, 3, 33)]
    [InlineData(5, 0, 0)]
    [InlineData(200, 100, 100)]
    public void Percentage_IsClampedAndRounded(long part, long whole, int expected) => Assert.Equal(expected, Formatting.Percentage(part, whole));
}
