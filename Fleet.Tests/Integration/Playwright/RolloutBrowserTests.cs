using Fleet.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>A three-wave rollout started in the wizard and watched on the live progress page, never reloaded.</summary>
[Collection(BrowserTests.Name)]
public sealed class RolloutBrowserTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ThreeWaves_ProgressLiveWaveByWave_AndCountsReachTheirFinalValues()
    {
        for (var i = 1; i <= 6; i++) await _server.StartAcceptedAgentAsync($"pw-wave-{i}");

        await using var browser = await BrowserSession.SignInAsync(_server);
        var page = browser.Page;
        await page.GotoAsync("/jobs/new");
        await browser.WaitInteractiveAsync();
        await page.GetByText("Ad-hoc command").ClickAsync();
        await page.FillAsync("#adhoc-command", "sleep 1.5; echo rolled");
        // An ad-hoc command has no Inputs step: What → Targets.
        await page.ClickAsync(".mud-stepper-button-next");
        await page.FillAsync("#target-query", "name ~ pw-wave-");
        await Assertions.Expect(page.Locator("#target-count")).ToContainTextAsync("6 matching hosts");
        await page.ClickAsync(".mud-stepper-button-next");
        await page.ClickAsync(".mud-stepper-button-next");
        await page.FillAsync("#waves", "1, 2, rest");
        await page.FillAsync("#wave-pause", "2");
        await page.FillAsync("#failure-threshold", "50%");
        await page.Locator("#wave-pause").BlurAsync();
        await Assertions.Expect(page.Locator("#wave-preview")).ToContainTextAsync("3 waves: 1 host → 2 hosts → 3 hosts");
        await page.ClickAsync(".mud-stepper-button-next");
        await Assertions.Expect(page.Locator("#review-waves")).ToContainTextAsync("1, 2, rest, 2 s apart");
        await page.ClickAsync("#run-job");

        await JobWizardBrowserTests.ExpectJobPageAsync(page);
        await browser.WaitInteractiveAsync();
        await page.ClickAsync("#live-progress");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/jobs/\d+/progress$"));
        await browser.WaitInteractiveAsync();

        // Caught live: while wave 2 runs, wave 3 still waits and wave 1 is done.
        var wave2Running = page.Locator("[data-wave='2'][data-wave-state='running']");
        await Assertions.Expect(wave2Running).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var states = await page.Locator("[data-wave]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.waveState)");
        Assert.Equal("completed", states[0]);
        Assert.Equal("waiting", states[2]);

        await Assertions.Expect(page.Locator("[data-wave='3']")).ToHaveAttributeAsync("data-wave-state", "completed", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-wave='3']")).ToHaveAttributeAsync("data-wave-finished", "3");
        await Assertions.Expect(page.Locator("[data-count='succeeded']")).ToHaveTextAsync("6");
        await Assertions.Expect(page.Locator("[data-count='pending']")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-run-status='success']")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("#rollout-status .status-chip")).ToHaveAttributeAsync("data-status", "succeeded");

        await page.Locator("[data-run-host='pw-wave-6']").ClickAsync();
        await Assertions.Expect(page.Locator("#run-timeline [data-transition='success']")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "fleet-rollout.png"), FullPage = true });
    }
}
