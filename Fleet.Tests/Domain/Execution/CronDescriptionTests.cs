using Fleet.Domain.Execution;

namespace Fleet.Tests.Domain.Execution;

public sealed class CronDescriptionTests
{
    [Theory]
    [InlineData("* * * * *", "Every minute")]
    [InlineData("*/15 * * * *", "Every 15 minutes")]
    [InlineData("5 * * * *", "At minute 5 of every hour")]
    [InlineData("30 */6 * * *", "Every 6 hours at minute 30")]
    [InlineData("0 3 * * *", "At 03:00, every day")]
    [InlineData("0 9,17 * * *", "At 09:00 and 17:00, every day")]
    [InlineData("0 3 * * 1-5", "At 03:00, Monday to Friday")]
    [InlineData("0 3 * * MON-FRI", "At 03:00, Monday to Friday")]
    [InlineData("0 22 * * 0,6", "At 22:00, on Sunday and Saturday")]
    [InlineData("0 22 * * 7", "At 22:00, on Sunday")]
    [InlineData("0 0 1 * *", "At 00:00, on day 1 of the month")]
    [InlineData("0 0 1,15 * *", "At 00:00, on days 1 and 15 of the month")]
    [InlineData("0 0 1 1,7 *", "At 00:00, on day 1 of the month, in January and July")]
    [InlineData("0 4 */2 * *", "At 04:00, every 2 days")]
    [InlineData("0 4 1 * 1", "At 04:00, on day 1 of the month and on Monday")]
    [InlineData("* 4 * * *", "Every minute from 04:00 to 04:59")]
    [InlineData("@daily", "At 00:00, every day")]
    [InlineData("@weekly", "At 00:00, on Sunday")]
    public void Describe_ReadsTheLineAsAPersonWould(string line, string expected) => Assert.Equal(expected, CronDescription.Describe(line));

    [Theory]
    [InlineData("")]
    [InlineData("not a cron")]
    [InlineData("0 0 3 * * *")]
    public void Describe_LinesThatAreNotFiveFields_HaveNoDescription(string line) => Assert.Null(CronDescription.Describe(line));
}
