using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary>
/// What every page object shares: the browser page, and navigation that waits for the Blazor circuit
/// (a click sent before it connects is lost).
/// </summary>
public abstract class DashboardPage(BrowserSession browser)
{
    protected BrowserSession Browser { get; } = browser;

    public IPage Page => Browser.Page;

    protected async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await Browser.WaitInteractiveAsync();
    }

    /// <summary>Blazor navigates inside the page (history API): poll the URL rather than wait for a load event.</summary>
    protected async Task ExpectUrlAsync(string pattern, float timeout = 45_000)
    {
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex(pattern), new() { Timeout = timeout });
        await Browser.WaitInteractiveAsync();
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"fleet-{name}.png"), FullPage = true });
}
