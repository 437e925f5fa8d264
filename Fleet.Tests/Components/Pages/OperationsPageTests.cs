using Bunit;
using Fleet.Domain.Execution;
using Fleet.Domain.Operations;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;

namespace Fleet.Tests.Components.Pages;

public sealed class OperationsPageTests : FleetPageTestContext
{
    private static OperationDeviceRow Row(string device, TargetRunStatus? run, string output, int attempts = 1) => new(
        12, "txn_12", device, OperationType.HealthCheck, DeviceStatus.Of(run, OperationOutput.Parse(output), false), DateTimeOffset.UtcNow, null, null,
        new DeviceDetails(null, null, null, null, DateTimeOffset.UtcNow), OperationOutput.Parse(output), null, null, attempts, Guid.NewGuid());

    [Fact]
    public void Page_ShowsEachDevice_WithProgressWhileRunning_AndTheHealthResultOnceDone()
    {
        HeadlessOperations.Rows.Add(Row("srv-a", TargetRunStatus.Running, "::tasks 2\n::task checking_disk_space\n::task checking_memory_usage"));
        HeadlessOperations.Rows.Add(Row("srv-b", TargetRunStatus.Success, "::check memory_usage fail 95%\n::check disk_space:/ pass 10%", attempts: 2));
        RenderProviders();

        var page = Render<Operations>();

        Assert.Contains("1 / 2 · checking_memory_usage", page.Find("[data-operation-progress='txn_12/srv-a']").TextContent);
        Assert.Equal("unhealthy · 1 passed, 1 failed, 0 warnings", page.Find("[data-operation-result='txn_12/srv-b']").TextContent.Trim());
        Assert.Equal(["running", "completed"], page.FindAll("#operations-table .status-chip").Select(c => c.GetAttribute("data-status")));
    }

    [Fact]
    public void Page_ListsNotificationDeliveries_WithEachAttemptsAnswer()
    {
        HeadlessOperations.Rows.Add(Row("srv-d", TargetRunStatus.Success, "::check a pass x"));
        HeadlessOperations.Deliveries.Add(new DeliveryRow("txn_12", 1, NotificationChannel.Webhook, "https://hooks.example.com/x", 2, true, 200, null, DateTimeOffset.UtcNow));
        HeadlessOperations.Deliveries.Add(new DeliveryRow("txn_12", 1, NotificationChannel.Webhook, "https://hooks.example.com/x", 1, false, 500, null, DateTimeOffset.UtcNow));
        RenderProviders();

        var page = Render<Operations>();

        Assert.Equal(2, page.FindAll("#operation-deliveries [data-delivery]").Count);
        Assert.Equal("failure", page.Find("[data-delivery='txn_12/1'] .status-chip").GetAttribute("data-status"));
        Assert.Contains("500", page.Find("[data-delivery='txn_12/1']").TextContent);
    }

    [Fact]
    public void Page_ReloadsWhenAnInvocationChanges()
    {
        RenderProviders();
        var page = Render<Operations>();
        Assert.Contains("No headless operations yet", page.Markup);
        var reads = HeadlessOperations.Reads;

        HeadlessOperations.Rows.Add(Row("srv-c", TargetRunStatus.Queued, ""));
        Events.Publish(new FleetEvent(FleetEventKind.InvocationChanged, Guid.Empty, DateTimeOffset.UtcNow, 99));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-operation-result='txn_12/srv-c']")));
        Assert.True(HeadlessOperations.Reads > reads);
    }

    [Fact]
    public async Task Filters_NarrowTheList_ByTypeStateAndDevice_AndRowsLinkToTheOperationsPage()
    {
        HeadlessOperations.Rows.Add(Row("web-1", TargetRunStatus.Success, ""));
        HeadlessOperations.Rows.Add(Row("db-1", TargetRunStatus.Success, ""));
        RenderProviders();
        var page = Render<Operations>();
        Assert.Equal("/operations/12", page.FindAll("[data-operation-link='txn_12']")[0].GetAttribute("href"));

        page.Find("input#filter-device").Input("web");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-operation-result]")));
        Assert.Equal("web", HeadlessOperations.Queries[^1].Device);

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<OperationType?>>().Instance.ValueChanged.InvokeAsync(OperationType.Reboot));
        page.WaitForAssertion(() => Assert.Contains("No operation matches these filters", page.Markup));
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<OperationState?>>().Instance.ValueChanged.InvokeAsync(OperationState.Running));
        page.WaitForAssertion(() => Assert.Equal((OperationType.Reboot, OperationState.Running, "web"),
            (HeadlessOperations.Queries[^1].Type, HeadlessOperations.Queries[^1].State, HeadlessOperations.Queries[^1].Device)));
    }
}
