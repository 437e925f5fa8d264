using Fleet.Domain;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Domain.Execution;

public sealed class ScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void NextOccurrences_AreInTheChosenZone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var next = Schedule.NextOccurrences("0 14 * * *", zone, Now, 5);
        Assert.Equal(5, next.Count);
        Assert.All(next, at => Assert.Equal((14, TimeSpan.FromHours(1)), (at.Hour, at.Offset)));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero), next[0].ToUniversalTime());
    }

    [Theory]
    [InlineData("not a cron")]
    [InlineData("61 * * * *")]
    [InlineData("")]
    public void Parse_BadCron_ThrowsWithTheLine(string cron) => Assert.Throws<DomainException>(() => Schedule.Parse(cron));

    [Fact]
    public void RecurringLogic_StopsAfterMaxIteration()
    {
        var logic = new RecurringLogic("*/5 * * * *", null, 2, null, "nightly", Now);
        Assert.True(logic.Occur(Now.AddMinutes(5)));
        Assert.True(logic.Occur(Now.AddMinutes(10)));
        Assert.False(logic.IsActive);
        Assert.False(logic.Occur(Now.AddMinutes(15)));
        Assert.Equal(2, logic.Iteration);
    }

    [Fact]
    public void RecurringLogic_ATriggerAgainInTheSameSlot_IsNotANewOccurrence()
    {
        var logic = new RecurringLogic("*/5 * * * *", "Europe/Paris", null, null, null, Now);
        Assert.False(logic.AlreadyOccurredFor(Now.AddMinutes(5)));
        Assert.True(logic.Occur(Now.AddMinutes(5)));

        Assert.True(logic.AlreadyOccurredFor(Now.AddMinutes(5).AddSeconds(2)));
        Assert.True(logic.AlreadyOccurredFor(Now.AddMinutes(9).AddSeconds(59)));
        Assert.False(logic.AlreadyOccurredFor(Now.AddMinutes(10)));
    }

    [Fact]
    public void RecurringLogic_Cancel_StopsOccurrences()
    {
        var logic = new RecurringLogic("*/5 * * * *", null, null, null, null, Now);
        logic.Cancel();
        Assert.False(logic.Occur(Now.AddMinutes(5)));
        Assert.Null(logic.NextOccurrence);
    }

    [Theory]
    [InlineData(InvocationState.Scheduled, 0, 0, 0, 0, 3, InvocationOutcome.Queued)]
    [InlineData(InvocationState.Running, 0, 0, 0, 0, 3, InvocationOutcome.Queued)]
    [InlineData(InvocationState.Running, 1, 0, 0, 1, 1, InvocationOutcome.Running)]
    [InlineData(InvocationState.Running, 1, 0, 0, 0, 1, InvocationOutcome.Running)]
    [InlineData(InvocationState.Stopped, 2, 1, 0, 0, 0, InvocationOutcome.Failed)]
    [InlineData(InvocationState.Stopped, 3, 0, 0, 0, 0, InvocationOutcome.Succeeded)]
    [InlineData(InvocationState.Stopped, 0, 0, 3, 0, 0, InvocationOutcome.Cancelled)]
    [InlineData(InvocationState.Stopped, 1, 0, 2, 0, 0, InvocationOutcome.Succeeded)]
    [InlineData(InvocationState.Stopped, 1, 0, 0, 0, 2, InvocationOutcome.Cancelled)]
    public void InvocationStatus_OfStateAndCounts(InvocationState state, int succeeded, int failed, int cancelled, int running, int pending, InvocationOutcome expected) =>
        Assert.Equal(expected, InvocationStatus.Of(state, new RunCounts(succeeded, failed, cancelled, running, pending)));

    [Fact]
    public void InvocationStatus_LabelsReadBack()
    {
        Assert.Equal(["succeeded", "failed", "queued", "running", "cancelled"], InvocationStatus.Labels);
        Assert.All(Enum.GetValues<InvocationOutcome>(), o => Assert.Equal(o, InvocationStatus.ParseLabel(o.Label())));
        Assert.Equal(InvocationOutcome.Failed, InvocationStatus.ParseLabel(" FAILED "));
        Assert.Null(InvocationStatus.ParseLabel("finished"));
    }
}
