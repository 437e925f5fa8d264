using Fleet.Agent.Children;
using Fleet.Tests.Infrastructure;
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
        var page = browser.Page;
        await page.GotoAsync($"/hosts/{hostId}");
        await browser.WaitInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Child hosts (3)" })).ToBeVisibleAsync();

        await page.ClickAsync("#reboot-host");
        var children = page.Locator("#precheck-children tr[data-child]");
        await Assertions.Expect(children).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#precheck-children tr[data-child='web-c1']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#precheck-running-count")).ToContainTextAsync("2 running of 3");
        await Assertions.Expect(page.Locator("input#mode-orchestrated")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#reboot-confirm")).ToBeDisabledAsync();
        await page.Locator("input#mode-orchestrated").CheckAsync();
        await page.ClickAsync("#reboot-confirm");

        // Blazor navigates inside the page (history API): poll the URL rather than wait for a load event.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/hosts/{hostId}/reboot/[0-9a-f-]{{36}}$"), new() { Timeout = 30_000 });
        var url = page.Url;
        // A marker in the page's JavaScript state survives only if the page is never reloaded.
        await page.EvaluateAsync("() => { window.fleetNoReload = 1; }");
        await Assertions.Expect(page.Locator("#orchestration-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        Assert.Equal(url, page.Url);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.fleetNoReload ?? 0"));
        await Assertions.Expect(page.Locator("#orchestration-timeline [data-done='true']")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#orchestration-children tr[data-restart='running']")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "fleet-reboot-orchestration.png"), FullPage = true });
    }
}
