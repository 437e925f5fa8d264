using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary><c>/hosts/{id}</c>: the inventory tabs and the Reboot… dialog.</summary>
public sealed class HostPage(BrowserSession browser) : DashboardPage(browser)
{
    public ILocator Title => Page.Locator("#host-title");

    public async Task<HostPage> OpenAsync(Guid hostId)
    {
        await GotoAsync($"/hosts/{hostId}");
        return this;
    }

    public ILocator Tab(string name) => Page.GetByRole(AriaRole.Tab, new() { Name = name });

    public Task OpenTabAsync(string name) => Tab(name).ClickAsync();

    public async Task SearchSoftwareAsync(string text)
    {
        await OpenTabAsync("Software");
        await Page.FillAsync("#software-search", text);
    }

    public ILocator Package(string name) => Page.Locator($"[data-package='{name}']");

    public async Task<RebootDialog> OpenRebootDialogAsync()
    {
        await Page.ClickAsync("#reboot-host");
        return new RebootDialog(Browser);
    }
}

/// <summary>The reboot pre-check dialog: running children, the reboot modes, the confirm button.</summary>
public sealed class RebootDialog(BrowserSession browser) : DashboardPage(browser)
{
    public ILocator RunningChildren => Page.Locator("#precheck-children tr[data-child]");

    public ILocator Child(string name) => Page.Locator($"#precheck-children tr[data-child='{name}']");

    public ILocator RunningCount => Page.Locator("#precheck-running-count");

    public ILocator OrchestratedMode => Page.Locator("input#mode-orchestrated");

    public ILocator PlainMode => Page.Locator("input#mode-plain");

    /// <summary>Where a plain reboot asks for the hostname to be typed.</summary>
    public ILocator TypedHostname => Page.Locator("#plain-confirm-hostname");

    public ILocator Confirm => Page.Locator("#reboot-confirm");

    public async Task<RebootTimelinePage> StartOrchestratedAsync(Guid hostId)
    {
        await OrchestratedMode.CheckAsync();
        await Confirm.ClickAsync();
        var timeline = new RebootTimelinePage(Browser);
        await timeline.ExpectOpenAsync(hostId);
        return timeline;
    }
}

/// <summary><c>/hosts/{id}/reboot/{orchestrationId}</c>: phases and per-child rows, updated live.</summary>
public sealed class RebootTimelinePage(BrowserSession browser) : DashboardPage(browser)
{
    public ILocator Status => Page.Locator("#orchestration-status");

    public ILocator DonePhases => Page.Locator("#orchestration-timeline [data-done='true']");

    public ILocator ChildrenRestarted(string restartStatus) => Page.Locator($"#orchestration-children tr[data-restart='{restartStatus}']");

    internal Task ExpectOpenAsync(Guid hostId) => ExpectUrlAsync($"/hosts/{hostId}/reboot/[0-9a-f-]{{36}}$", 30_000);
}
