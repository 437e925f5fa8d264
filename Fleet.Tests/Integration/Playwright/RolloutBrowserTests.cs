using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
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
        var wizard = await new JobWizardPage(browser).OpenAsync();
        await wizard.AdHocCommandAsync("sleep 1.5; echo rolled");
        await wizard.TargetsAsync("name ~ pw-wave-", expectedHosts: 6);
        await wizard.NextAsync();
        await wizard.FillAsync("waves", "1, 2, rest");
        await wizard.FillAsync("wave-pause", "2");
        await wizard.FillAsync("failure-threshold", "50%");
        await wizard.Field("wave-pause").BlurAsync();
        await Assertions.Expect(wizard.Field("wave-preview")).ToContainTextAsync("3 waves: 1 host → 2 hosts → 3 hosts");
        await wizard.NextAsync();
        await Assertions.Expect(wizard.Field("review-waves")).ToContainTextAsync("1, 2, rest, 2 s apart");
        var job = await wizard.RunAsync();
        var progress = await job.OpenLiveProgressAsync();

        // Caught live: while wave 2 runs, wave 3 still waits and wave 1 is done.
        await Assertions.Expect(progress.Wave(2)).ToHaveAttributeAsync("data-wave-state", "running", new() { Timeout = 30_000 });
        var states = await progress.Waves.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.waveState)");
        Assert.Equal("completed", states[0]);
        Assert.Equal("waiting", states[2]);

        await Assertions.Expect(progress.Wave(3)).ToHaveAttributeAsync("data-wave-state", "completed", new() { Timeout = 30_000 });
        await Assertions.Expect(progress.Wave(3)).ToHaveAttributeAsync("data-wave-finished", "3");
        await Assertions.Expect(progress.Count("succeeded")).ToHaveTextAsync("6");
        await Assertions.Expect(progress.Count("pending")).ToHaveTextAsync("0");
        await Assertions.Expect(progress.RunsWithStatus("success")).ToHaveCountAsync(6);
        await Assertions.Expect(progress.Status).ToHaveAttributeAsync("data-status", "succeeded");

        await progress.OpenRunAsync("pw-wave-6");
        await Assertions.Expect(progress.RunTransition("success")).ToBeVisibleAsync();
        await progress.ScreenshotAsync("rollout");
    }
}
