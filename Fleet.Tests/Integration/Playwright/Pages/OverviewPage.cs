using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary><c>/overview</c>: the counters and the MudChart charts.</summary>
public sealed class OverviewPage(BrowserSession browser) : DashboardPage(browser)
{
    public async Task<OverviewPage> OpenAsync()
    {
        await GotoAsync("/overview");
        return this;
    }

    /// <param name="name">total, online, offline, pending, failed-jobs.</param>
    public ILocator Count(string name) => Page.Locator($"#count-{name}");

    /// <summary>The lines MudChart draws for the hosts-online series.</summary>
    public ILocator OnlineLines => Page.Locator("#chart-online svg path.mud-chart-line");

    public ILocator ResultBars => Page.Locator("#chart-results svg .mud-chart-bar");

    public ILocator SuccessRate => Page.Locator("#success-rate");

    /// <param name="mix">os-mix or agent-mix.</param>
    public ILocator DonutSegments(string mix) => Page.Locator($"#{mix} svg .mud-chart-serie");

    public ILocator Slice(string mix, string label) => Page.Locator($"#{mix} [data-slice='{label}'] [data-hosts]");
}
