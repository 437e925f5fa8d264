using Bunit;
using Fleet.Domain.Execution;
using Fleet.Domain.Operations;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;

namespace Fleet.Tests.Components.Pages;

public sealed class OperationDetailTests : FleetPageTestContext
{
    private static OperationDeviceRow Row(string device, TargetRunStatus? run, string output, int attempts = 1, bool retryFollows = false) => new(
        7, "txn_7", device, OperationType.HealthCheck, DeviceStatus.Of(run, OperationOutput.Parse(output), retryFollows), DateTimeOffset.UtcNow, null, null,
        new DeviceDetails(null, null, null, null, DateTimeOffset.UtcNow), OperationOutput.Parse(output), null, null, attempts, Guid.NewGuid());

    public OperationDetailTests()
    {
        HeadlessOperations.Summaries.Add(new OperationSummary(7, "txn_7", OperationType.HealthCheck, OperationState.Running,
            new OperationSchedule(ScheduleType.Recurring, null, "0 3 * * *", "Europe/Paris"), DateTimeOffset.UtcNow.AddHours(5), 2, DateTimeOffset.UtcNow,
            new RetryPolicy(3, 5), new NotificationSettings(false, true, "ops@example.com", null), "alice", DateTimeOffset.UtcNow.AddDays(-1), "{\"check_disk_space\":true}"));
    }

    [Fact]
    public void Page_ShowsTheSettings_EachDevicesProgress_ChecksAttempts_AndDeliveries()
    {
        HeadlessOperations.Rows.Add(Row("srv-a", TargetRunStatus.Running, "::tasks 2\n::task checking_disk_space\n::task checking_memory_usage"));
        HeadlessOperations.Rows.Add(Row("srv-b", TargetRunStatus.Success, "::check memory_usage fail 95%\n::check disk_space:/ pass 10%", attempts: 2));
        HeadlessOperations.Rows.Add(Row("other", TargetRunStatus.Success, "") with { OperationId = 8, PublicId = "txn_8" });
        HeadlessOperations.Deliveries.Add(new DeliveryRow("txn_7", 1, NotificationChannel.Email, "ops@example.com", 1, true, 250, "2.0.0 Ok", DateTimeOffset.UtcNow));
        HeadlessOperations.Deliveries.Add(new DeliveryRow("txn_8", 1, NotificationChannel.Webhook, "https://x.example.com", 1, true, 200, null, DateTimeOffset.UtcNow));
        RenderProviders();

        var page = Render<OperationDetail>(p => p.Add(c => c.Id, 7));

        Assert.Contains("txn_7 · health_check", page.Find("#operation-title").TextContent);
        Assert.Equal("recurring: 0 3 * * * (Europe/Paris)", page.Find("#operation-schedule").TextContent);
        Assert.Equal("up to 3 attempts, 5 min apart", page.Find("#operation-retries").TextContent);
        Assert.Equal("on failure: ops@example.com", page.Find("#operation-notifications").TextContent);
        Assert.Equal(["srv-a", "srv-b"], page.FindAll("#operation-devices tr[data-device]").Select(r => r.GetAttribute("data-device")));
        Assert.Contains("1 / 2 · checking_memory_usage", page.Find("[data-device-progress='srv-a']").TextContent);
        Assert.Equal("unhealthy · 1 passed, 1 failed, 0 warnings", page.Find("[data-device-result='srv-b']").TextContent.Trim());
        Assert.Equal("2", page.Find("[data-device-attempts='srv-b']").TextContent);
        Assert.Equal(2, page.FindAll("[data-device-checks='srv-b'] [data-check]").Count);
        var delivery = Assert.Single(page.FindAll("#operation-detail-deliveries tr[data-delivery]"));
        Assert.Contains("ops@example.com", delivery.TextContent);
    }

    [Fact]
    public void Page_FollowsTheDevicesLive_AsTheirRunsChange()
    {
        HeadlessOperations.Rows.Add(Row("srv-c", TargetRunStatus.Failure, "", attempts: 1, retryFollows: true));
        RenderProviders();
        var page = Render<OperationDetail>(p => p.Add(c => c.Id, 7));
        Assert.Equal("pending", page.Find("#operation-devices .status-chip").GetAttribute("data-status"));

        HeadlessOperations.Rows[0] = Row("srv-c", TargetRunStatus.Success, "::check disk_space:/ pass 10%", attempts: 2);
        Events.Publish(new FleetEvent(FleetEventKind.InvocationChanged, Guid.Empty, DateTimeOffset.UtcNow, 41));

        page.WaitForAssertion(() => Assert.Equal("completed", page.Find("#operation-devices .status-chip").GetAttribute("data-status")));
        Assert.Equal("2", page.Find("[data-device-attempts='srv-c']").TextContent);
    }

    [Fact]
    public void Page_ForAnUnknownOperation_SaysSo()
    {
        RenderProviders();

        var page = Render<OperationDetail>(p => p.Add(c => c.Id, 404));

        Assert.Contains("There is no operation txn_404", page.Markup);
        Assert.Equal("/operations", page.Find("#operation-not-found a").GetAttribute("href"));
        Assert.Empty(page.FindAll("#operation-devices"));
    }
}
