using System.Globalization;
using Bunit;
using Fleet.Domain.Operations;
using Fleet.Domain.Security;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;
using MudBlazor;

namespace Fleet.Tests.Components.Dialogs;

public sealed class CreateOperationDialogTests : FleetPageTestContext
{
    private static HostRow Host(string name) => new(Guid.NewGuid(), name, "online", "linux", "Debian 12", "10.0.0.1", "0.1.0", DateTimeOffset.UtcNow, null);

    public CreateOperationDialogTests()
    {
        Invocations.Preview = query => query == "name ~ web" ? new TargetPreview(2, [Host("web-1"), Host("web-2")]) : new TargetPreview(0, []);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, Task<DialogResult?> Result)> OpenAsync()
    {
        var provider = RenderProviders();
        var reference = await provider.InvokeAsync(() => Services.GetService<IDialogService>()!.ShowAsync<CreateOperationDialog>("New operation"));
        return (provider, reference.Result);
    }

    [Fact]
    public async Task RecurringHealthCheck_ShowsTheNextFiveRunsInItsZone_PreviewsTheDevices_AndIsCreated()
    {
        var (provider, result) = await OpenAsync();
        provider.WaitForElement("[data-parameter='check_disk_space']");
        provider.Find("input#parameter-disk_threshold_percent").Change("70");
        provider.Find("input#operation-devices-query").Input("name ~ web");
        provider.WaitForAssertion(() => Assert.Contains("2 matching devices", provider.Find("#operation-device-count").TextContent));
        Assert.Equal(["web-1", "web-2"], provider.FindAll("[data-preview-device]").Select(r => r.GetAttribute("data-preview-device")));

        provider.Find("input#schedule-recurring").Click();
        provider.WaitForElement("input#operation-cron").Input("30 9 * * *");
        provider.Find("input#operation-zone").Input("America/New_York");

        // 09:30 in New York, worked out here from the zone's own rules.
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, newYork);
        var firstDay = local.TimeOfDay < new TimeSpan(9, 30, 0) ? local.Date : local.Date.AddDays(1);
        var expected = Enumerable.Range(0, 5).Select(i =>
        {
            var day = firstDay.AddDays(i).AddHours(9.5);
            return new DateTimeOffset(day, newYork.GetUtcOffset(day)).ToString("yyyy-MM-dd HH:mm (zzz)", CultureInfo.InvariantCulture);
        }).ToList();
        provider.WaitForAssertion(() => Assert.Equal(expected, provider.FindAll("#operation-next-runs li").Select(li => li.TextContent.Trim())));

        provider.Find("input#operation-max-attempts").Change("3");
        provider.Find("input#operation-retry-delay").Change("10");
        provider.Find("input#operation-webhook").Change("https://hooks.example.com/fleet");
        provider.Find("input#notify-failure, #notify-failure input").Change(true);
        provider.Find("#create-operation-submit").Click();

        var closed = await result.WaitAsync(TimeSpan.FromSeconds(5));
        var created = Assert.IsType<OperationCreated>(closed!.Data);
        var (request, owner) = Assert.Single(HeadlessOperations.Created);
        Assert.Equal(created.DeviceTargets, request.DeviceTargets);
        Assert.Equal("health_check", request.OperationType);
        Assert.Equal(["web-1", "web-2"], request.DeviceTargets);
        Assert.Equal(new OperationSchedule(ScheduleType.Recurring, null, "30 9 * * *", "America/New_York"), request.Schedule);
        Assert.Equal(70L, request.Parameters!["disk_threshold_percent"]);
        Assert.Equal(true, request.Parameters["check_disk_space"]);
        Assert.Equal(new RetryPolicy(3, 10), request.RetryPolicy);
        Assert.Equal(new NotificationSettings(false, true, null, "https://hooks.example.com/fleet"), request.Notification);
        Assert.Equal("admin-user", owner);
    }

    [Fact]
    public async Task ChangingTheType_ShowsThatTypesParameters()
    {
        var (provider, _) = await OpenAsync();
        provider.WaitForElement("[data-parameter='check_disk_space']");

        await provider.InvokeAsync(() => provider.FindComponent<MudSelect<OperationType>>().Instance.ValueChanged.InvokeAsync(OperationType.RestartService));

        provider.WaitForAssertion(() => Assert.Single(provider.FindAll("input#parameter-service_name")));
        Assert.Empty(provider.FindAll("[data-parameter='check_disk_space']"));
    }

    [Fact]
    public async Task ProblemsTheEngineFinds_AreListed_AndTheDialogStaysOpen()
    {
        HeadlessOperations.Refuse = [OperationProblem.At("device_targets must name at least one device.", "device_targets")];
        var (provider, result) = await OpenAsync();

        provider.WaitForElement("#create-operation-submit").Click();

        provider.WaitForAssertion(() => Assert.Contains("must name at least one device", provider.Find("#create-operation-errors").TextContent));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public async Task AViewer_CannotCreate_EvenWithTheDialogOpen()
    {
        SignInAs(Roles.Viewer);
        var (provider, result) = await OpenAsync();

        provider.WaitForElement("#create-operation-submit").Click();

        provider.WaitForAssertion(() => Assert.Contains("Only admins and operators", provider.Find("#create-operation-errors").TextContent));
        Assert.Empty(HeadlessOperations.Created);
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public void OperationsPage_OffersNewOperation_ToOperatorsOnly()
    {
        SignInAs(Roles.Operator);
        RenderProviders();
        Assert.Single(Render<Operations>().FindAll("#new-operation"));

        SignInAs(Roles.Viewer);
        Assert.Empty(Render<Operations>().FindAll("#new-operation"));
    }
}
