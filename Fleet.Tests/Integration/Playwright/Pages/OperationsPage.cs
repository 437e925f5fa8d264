using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary><c>/operations</c>: the list, its filters and the create dialog.</summary>
public sealed class OperationsPage(BrowserSession browser) : DashboardPage(browser)
{
    public async Task<OperationsPage> OpenAsync()
    {
        await GotoAsync("/operations");
        return this;
    }

    /// <summary>Creates an immediate health check on the devices a search finds (waiting for its live preview) and opens its page.</summary>
    public async Task<OperationDetailPage> CreateImmediateHealthCheckAsync(string query, int expectedDevices)
    {
        await Page.ClickAsync("#new-operation");
        await Page.FillAsync("#operation-devices-query", query);
        await Assertions.Expect(Page.Locator("#operation-device-count")).ToContainTextAsync($"{expectedDevices} matching device");
        await Page.ClickAsync("#create-operation-submit");
        var detail = new OperationDetailPage(Browser);
        try
        {
            await detail.ExpectOpenAsync();
        }
        catch (PlaywrightException)
        {
            var problems = await Page.Locator("#create-operation-errors").AllInnerTextsAsync();
            throw new Xunit.Sdk.XunitException($"Still on {Page.Url}; the dialog says: {string.Join(" | ", problems)}");
        }
        return detail;
    }
}

/// <summary><c>/operations/{id}</c>: one operation's devices, updated live.</summary>
public sealed class OperationDetailPage(BrowserSession browser) : DashboardPage(browser)
{
    public ILocator DeviceStatus(string device) => Page.Locator($"#operation-devices tr[data-device='{device}'] .status-chip");

    public ILocator DeviceResult(string device) => Page.Locator($"[data-device-result='{device}']");

    public Task ExpectDeviceStatusAsync(string device, string status, float timeout = 60_000) =>
        Assertions.Expect(DeviceStatus(device)).ToHaveAttributeAsync("data-status", status, new() { Timeout = timeout });

    internal Task ExpectOpenAsync() => ExpectUrlAsync(@"/operations/\d+$");
}
