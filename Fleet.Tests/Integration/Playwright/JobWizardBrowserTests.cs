using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
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
        var wizard = await new JobWizardPage(browser).OpenAsync();
        await wizard.AdHocCommandAsync("echo hello-from-fleet");
        await wizard.TargetsAsync("name ~ pw-", expectedHosts: 2);
        await wizard.NextAsync();
        await wizard.FillAsync("time-to-pickup", "2");
        await wizard.NextAsync();
        await Assertions.Expect(wizard.Field("job-review")).ToContainTextAsync("2 s");
        var job = await wizard.RunAsync();

        await job.ExpectTargetStatusAsync("pw-ok", "success");
        await job.ExpectTargetStatusAsync("pw-late", "failure");
        await Assertions.Expect(job.Count("succeeded")).ToHaveTextAsync("1");
        await Assertions.Expect(job.Count("failed")).ToHaveTextAsync("1");

        _server.StartAgent("machine-pw-late", "pw-late", new FixedInventorySource("pw-late"), enrollmentToken: null, identity: offline.Identity);
        var rerun = await job.RerunFailedAsync();
        await rerun.ExpectTargetStatusAsync("pw-late", "success", timeout: 30_000);
        await Assertions.Expect(rerun.Target("pw-ok")).ToHaveCountAsync(0);
        await Assertions.Expect(rerun.Count("total")).ToHaveTextAsync("1");
        await rerun.ScreenshotAsync("job");
    }
}
