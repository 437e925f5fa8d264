using Fleet.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>A job through the wizard on two real agents, watched live, then rerun on the host that failed.</summary>
[Collection(BrowserTests.Name)]
public sealed class JobWizardBrowserTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RunThroughWizard_WatchBothHostsFinish_ThenRerunFailed()
    {
        await _server.StartAcceptedAgentAsync("pw-ok");
        var offline = await _server.StartAcceptedAgentAsync("pw-late");
        // The second host is away: with a 2 s time to pickup its run fails, the first one succeeds.
        await offline.StopAsync();

        await using var browser = await BrowserSession.SignInAsync(_server);
        var page = browser.Page;
        await page.GotoAsync("/jobs/new");
        await browser.WaitInteractiveAsync();
        await page.GetByText("Ad-hoc command").ClickAsync();
        await page.FillAsync("#adhoc-command", "echo hello-from-fleet");
        // An ad-hoc command has no Inputs step: What → Targets.
        await page.ClickAsync(".mud-stepper-button-next");
        await page.FillAsync("#target-query", "name ~ pw-");
        await Assertions.Expect(page.Locator("#target-count")).ToContainTextAsync("2 matching hosts");
        await page.ClickAsync(".mud-stepper-button-next");
        await page.ClickAsync(".mud-stepper-button-next");
        await page.FillAsync("#time-to-pickup", "2");
        await page.ClickAsync(".mud-stepper-button-next");
        await Assertions.Expect(page.Locator("#job-review")).ToContainTextAsync("2 s");
        await page.ClickAsync("#run-job");

        // Blazor navigates inside the page (history API): poll the URL rather than wait for a navigation event.
        await ExpectJobPageAsync(page);
        await browser.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-target-host='pw-ok']")).ToHaveAttributeAsync("data-target-status", "success", new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("[data-target-host='pw-late']")).ToHaveAttributeAsync("data-target-status", "failure", new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("#count-succeeded")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#count-failed")).ToHaveTextAsync("1");
        var firstJob = page.Url;

        _server.StartAgent("machine-pw-late", "pw-late", new FixedInventorySource("pw-late"), enrollmentToken: null, identity: offline.Identity);
        await page.ClickAsync("#rerun-failed");
        await Assertions.Expect(page).Not.ToHaveURLAsync(firstJob, new() { Timeout = 45_000 });
        await ExpectJobPageAsync(page);
        await browser.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-target-host='pw-late']")).ToHaveAttributeAsync("data-target-status", "success", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-target-host='pw-ok']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#count-total")).ToHaveTextAsync("1");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "fleet-job.png"), FullPage = true });
    }

    internal static async Task ExpectJobPageAsync(IPage page)
    {
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/jobs/\d+$"), new() { Timeout = 45_000 });
        }
        catch (PlaywrightException)
        {
            // Say why the wizard stayed, if it says so.
            var problems = await page.Locator("#wizard-error, #step-problems").AllInnerTextsAsync();
            throw new Xunit.Sdk.XunitException($"Still on {page.Url}; the page says: {string.Join(" | ", problems)}");
        }
    }
}
