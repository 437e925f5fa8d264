using Fleet.Domain.Operations;

namespace Fleet.Tests.Domain.Operations;

public sealed class OperationScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_WeeklyInParisAcrossTheSpringChange_IsTwoOClockSummerTime()
    {
        var schedule = new OperationSchedule(ScheduleType.Recurring, Cron: "0 2 * * 1", TimeZone: "Europe/Paris");

        // Monday 30 March 2026, 02:00 CEST (UTC+2): Paris moved its clocks on Sunday the 29th.
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.Zero), schedule.Next(Now));
    }

    [Fact]
    public void Next_DailyInNewYorkInWinter_IsFiveHoursAfterUtc()
    {
        var schedule = new OperationSchedule(ScheduleType.Recurring, Cron: "30 9 * * *", TimeZone: "America/New_York");

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 14, 30, 0, TimeSpan.Zero), schedule.Next(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("61 * * * *", "UTC", "schedule/cron")]
    [InlineData("0 2 * * 1", "Mars/Olympus_Mons", "schedule/timezone")]
    [InlineData("", "UTC", "schedule/cron")]
    [InlineData("0 0 30 2 *", "UTC", "schedule/cron")]
    public void Problems_RecurringWithABadCronOrZone_NameTheField(string cron, string zone, string field)
    {
        var problems = new OperationSchedule(ScheduleType.Recurring, Cron: cron, TimeZone: zone).Problems(Now);

        Assert.Equal("body/" + field, string.Join('/', Assert.Single(problems).Location));
    }

    [Fact]
    public void Problems_OnceWithoutATimeOrInThePast_AreReported()
    {
        Assert.Single(new OperationSchedule(ScheduleType.Once).Problems(Now));
        Assert.Single(new OperationSchedule(ScheduleType.Once, Now.AddMinutes(-1)).Problems(Now));
        Assert.Empty(new OperationSchedule(ScheduleType.Once, Now.AddMinutes(1)).Problems(Now));
    }

    [Fact]
    public void Problems_RetryPolicyOutOfRange_NameBothFields()
    {
        var problems = new RetryPolicy(0, -1).Problems();

        Assert.Equal(["body/retry_policy/max_attempts", "body/retry_policy/retry_delay_minutes"], problems.Select(p => string.Join('/', p.Location)));
    }

    [Theory]
    [InlineData("ftp://example.com/hook", null)]
    [InlineData("not a url", null)]
    [InlineData(null, "admin@@company")]
    public void Problems_NotificationWithABadTarget_IsReported(string? webhook, string? email)
    {
        Assert.Single(new NotificationSettings(OnFailure: true, Email: email, WebhookUrl: webhook).Problems());
    }
}
