using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary>The fleet table at <c>/</c>: host rows, the counters above them, approval of pending hosts.</summary>
public sealed class FleetStatusPage(BrowserSession browser) : DashboardPage(browser)
{
    public async Task<FleetStatusPage> OpenAsync()
    {
        await GotoAsync("/");
        return this;
    }

    public ILocator HostRow(string hostname) => Page.Locator($".host-name[data-hostname='{hostname}']");

    /// <param name="name">online, offline, pending…</param>
    public ILocator Count(string name) => Page.Locator($"#count-{name}");

    /// <summary>The row's selection box (MudBlazor puts the attribute on the box's wrapper or on the input itself).</summary>
    public ILocator SelectBox(string hostname) =>
        Page.Locator($"[data-select-host='{hostname}'] input, input[data-select-host='{hostname}']");

    /// <summary>Bulk "Run job…" on the selected rows: the wizard opens with them picked.</summary>
    public async Task<JobWizardPage> RunJobOnSelectionAsync()
    {
        await Page.ClickAsync("#bulk-run-job");
        var wizard = new JobWizardPage(Browser);
        await wizard.ExpectOpenAsync();
        return wizard;
    }

    public Task ApproveFirstPendingAsync() => Page.Locator("[data-action=approve]").ClickAsync();

    public async Task<HostPage> OpenHostAsync(string hostname)
    {
        await HostRow(hostname).ClickAsync();
        var host = new HostPage(Browser);
        await Assertions.Expect(host.Title).ToContainTextAsync(hostname);
        await Browser.WaitInteractiveAsync();
        return host;
    }
}
