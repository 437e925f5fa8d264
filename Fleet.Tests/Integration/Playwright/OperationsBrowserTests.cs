using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>An immediate health check created from the dashboard on a real agent, watched until it completes.</summary>
[Collection(BrowserTests.Name)]
public sealed class OperationsBrowserTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task CreateAnImmediateHealthCheck_FromTheDashboard_AndWatchItComplete()
    {
        await _server.StartAcceptedAgentAsync("pw-health");

        await using var browser = await BrowserSession.SignInAsync(_server);
        var operations = await new OperationsPage(browser).OpenAsync();
        var operation = await operations.CreateImmediateHealthCheckAsync("name = pw-health", expectedDevices: 1);

        await operation.ExpectDeviceStatusAsync("pw-health", "completed");
        await Assertions.Expect(operation.DeviceResult("pw-health")).ToContainTextAsync("passed");
        await operation.ScreenshotAsync("operation");
    }
}
