using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>Hosts chosen in the fleet table go to the job wizard, and the job runs on exactly those.</summary>
[Collection(BrowserTests.Name)]
public sealed class FleetBulkBrowserTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "false" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task BulkSelect_RunJob_OpensTheWizardWithThoseHostsPicked_AndRunsOnThem()
    {
        await _server.StartAcceptedAgentAsync("pw-bulk-a");
        await _server.StartAcceptedAgentAsync("pw-bulk-b");
        await _server.StartAcceptedAgentAsync("pw-bulk-c");

        await using var browser = await BrowserSession.SignInAsync(_server);
        var fleet = await new FleetStatusPage(browser).OpenAsync();
        await Assertions.Expect(fleet.HostRow("pw-bulk-c")).ToBeVisibleAsync();
        await fleet.SelectBox("pw-bulk-a").CheckAsync();
        await fleet.SelectBox("pw-bulk-c").CheckAsync();
        var wizard = await fleet.RunJobOnSelectionAsync();

        await wizard.AdHocCommandAsync("echo picked");
        await Assertions.Expect(wizard.PickedCount).ToHaveTextAsync("2 selected");
        await Assertions.Expect(wizard.PickBox("pw-bulk-a")).ToBeCheckedAsync();
        await Assertions.Expect(wizard.PickBox("pw-bulk-b")).Not.ToBeCheckedAsync();
        await Assertions.Expect(wizard.PickBox("pw-bulk-c")).ToBeCheckedAsync();
        await wizard.NextAsync();
        await wizard.NextAsync();
        await wizard.NextAsync();
        var job = await wizard.RunAsync();

        await job.ExpectTargetStatusAsync("pw-bulk-a", "success");
        await job.ExpectTargetStatusAsync("pw-bulk-c", "success");
        await Assertions.Expect(job.Target("pw-bulk-b")).ToHaveCountAsync(0);
        await Assertions.Expect(job.Count("total")).ToHaveTextAsync("2");
    }
}
