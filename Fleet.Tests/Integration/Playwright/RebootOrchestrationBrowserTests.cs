using Fleet.Agent.Children;
using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>Host page → Reboot… → the pre-check dialog → orchestrated reboot → the live timeline, in a real browser against a real agent.</summary>
[Collection(BrowserTests.Name)]
public sealed class RebootOrchestrationBrowserTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RebootDialog_OrchestratedReboot_TimelineReachesCompletedWithoutReload()
    {
        var agent = _server.StartAgent("machine-pw-parent", "pw-parent", new FixedInventorySource("pw-parent"),
            children: [new SandboxChild("web-c1", "running"), new SandboxChild("db-c1", "running"), new SandboxChild("spare-c1", "stopped")]);
        await Eventually.Until(() => agent.Agent.IsAccepted, "agent accepted");
        var hostId = agent.Agent.HostId!.Value;
        await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            return await db.ChildHosts.CountAsync(c => c.ParentHostId == hostId);
        }, count => count == 3, "the children reported");

        await using var browser = await BrowserSession.SignInAsync(_server);
        var host = await new HostPage(browser).OpenAsync(hostId);
        await Assertions.Expect(host.Tab("Child hosts (3)")).ToBeVisibleAsync();

        var dialog = await host.OpenRebootDialogAsync();
        await Assertions.Expect(dialog.RunningChildren).ToHaveCountAsync(2);
        await Assertions.Expect(dialog.Child("web-c1")).ToBeVisibleAsync();
        await Assertions.Expect(dialog.RunningCount).ToContainTextAsync("2 running of 3");
        await Assertions.Expect(dialog.OrchestratedMode).Not.ToBeCheckedAsync();
        await Assertions.Expect(dialog.Confirm).ToBeDisabledAsync();
        var timeline = await dialog.StartOrchestratedAsync(hostId);

        var url = timeline.Page.Url;
        // A marker in the page's JavaScript state survives only if the page is never reloaded.
        await timeline.Page.EvaluateAsync("() => { window.fleetNoReload = 1; }");
        await Assertions.Expect(timeline.Status).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        Assert.Equal(url, timeline.Page.Url);
        Assert.Equal(1, await timeline.Page.EvaluateAsync<int>("() => window.fleetNoReload ?? 0"));
        await Assertions.Expect(timeline.DonePhases).ToHaveCountAsync(5);
        await Assertions.Expect(timeline.ChildrenRestarted("running")).ToHaveCountAsync(2);
        await timeline.ScreenshotAsync("reboot-orchestration");
    }
}
