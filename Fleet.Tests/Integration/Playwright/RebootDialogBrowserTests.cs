using Fleet.Agent.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>A plain reboot is confirmed only by typing the host's name (the agent's power provider is the sandbox one).</summary>
[Collection(BrowserTests.Name)]
public sealed class RebootDialogBrowserTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "false" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task PlainReboot_RequiresTheTypedHostname_ThenReachesTheAgent()
    {
        var agent = await _server.StartAcceptedAgentAsync("pw-plain");
        await using var browser = await BrowserSession.SignInAsync(_server);
        var host = await new HostPage(browser).OpenAsync(agent.Agent.HostId!.Value);
        await Assertions.Expect(host.Title).ToContainTextAsync("pw-plain");

        var dialog = await host.OpenRebootDialogAsync();
        await Assertions.Expect(dialog.PlainMode).Not.ToBeCheckedAsync();
        await Assertions.Expect(dialog.Confirm).ToBeDisabledAsync();
        await dialog.PlainMode.CheckAsync();
        await Assertions.Expect(dialog.Confirm).ToBeDisabledAsync();
        await dialog.TypedHostname.FillAsync("pw-plai");
        await Assertions.Expect(dialog.Confirm).ToBeDisabledAsync();
        Assert.Empty(_server.PowerRequests);

        await dialog.TypedHostname.FillAsync("pw-plain");
        await Assertions.Expect(dialog.Confirm).ToBeEnabledAsync();
        await dialog.Confirm.ClickAsync();

        await Eventually.Until(() => { lock (_server.PowerRequests) return _server.PowerRequests.Any(r => r is ("pw-plain", PowerAction.Reboot, _)); },
            "the sandbox power provider to receive the reboot");
    }
}
