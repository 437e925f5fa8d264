using Fleet.Domain.Operations;

namespace Fleet.Tests.Domain.Operations;

public sealed class HeadlessOperationTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FirstMonday = new(2026, 3, 30, 0, 0, 0, TimeSpan.Zero);

    private static HeadlessOperation Weekly() => new(OperationType.HealthCheck, "{}",
        new OperationSchedule(ScheduleType.Recurring, Cron: "0 2 * * 1", TimeZone: "Europe/Paris"), new RetryPolicy(), new NotificationSettings(), "tester", Created);

    [Fact]
    public void BeginOccurrence_Recurring_MovesNextExecutionToTheFollowingWeek()
    {
        var operation = Weekly();
        Assert.Equal(FirstMonday, operation.NextExecution);

        Assert.Equal(1, operation.BeginOccurrence(FirstMonday));

        Assert.Equal(OperationState.Running, operation.State);
        Assert.Equal(FirstMonday.AddDays(7), operation.NextExecution);
    }

    [Fact]
    public void BeginOccurrence_FiredTwiceForTheSameInstant_StartsOnlyOnce()
    {
        var operation = Weekly();
        operation.BeginOccurrence(FirstMonday);

        Assert.Null(operation.BeginOccurrence(FirstMonday.AddSeconds(3)));
        Assert.Equal(1, operation.Occurrences);
    }

    [Fact]
    public void EndOccurrence_Recurring_WaitsForTheNext_AndImmediate_Finishes()
    {
        var weekly = Weekly();
        weekly.BeginOccurrence(FirstMonday);
        weekly.EndOccurrence();
        Assert.Equal(OperationState.Scheduled, weekly.State);
        Assert.Equal(2, weekly.BeginOccurrence(FirstMonday.AddDays(7)));

        var now = new HeadlessOperation(OperationType.Reboot, "{}", new OperationSchedule(ScheduleType.Immediate), new RetryPolicy(), new NotificationSettings(), "tester", Created);
        Assert.Equal(1, now.BeginOccurrence(Created));
        now.EndOccurrence();
        Assert.Equal(OperationState.Finished, now.State);
        Assert.Null(now.BeginOccurrence(Created.AddMinutes(1)));
    }

    [Theory]
    [InlineData("txn_12345", true, 12345)]
    [InlineData("txn_", false, 0)]
    [InlineData("12345", false, 0)]
    [InlineData("txn_-1", false, 0)]
    [InlineData("txn_99999999999999999999", false, 0)]
    [InlineData("TXN_1", false, 0)]
    public void TryParseId_AcceptsOnlyTxnAndANumber(string text, bool valid, long id)
    {
        Assert.Equal(valid, HeadlessOperation.TryParseId(text, out var parsed));
        Assert.Equal(id, parsed);
    }
}
