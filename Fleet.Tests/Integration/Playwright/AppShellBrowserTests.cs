using System.Net;
using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>The finishing touches every page shares: the theme follows the OS until the reader picks one, and unknown addresses get Fleet's own page.</summary>
[Collection(BrowserTests.Name)]
public sealed class AppShellBrowserTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "false" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Theme_FollowsTheOperatingSystem_UntilChosen_AndTheChoiceSurvivesAReload()
    {
        await using var browser = await BrowserSession.SignInAsync(_server);
        var shell = new AppShell(browser);

        await shell.PreferColorSchemeAsync(ColorScheme.Dark);
        await shell.ReloadAsync();
        await Assertions.Expect(shell.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to light mode");

        await shell.PreferColorSchemeAsync(ColorScheme.Light);
        await shell.ReloadAsync();
        await Assertions.Expect(shell.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to dark mode");

        await shell.ToggleThemeAsync();
        await Assertions.Expect(shell.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to light mode");
        await shell.ReloadAsync();
        // The OS still prefers light; the reader's choice wins.
        await Assertions.Expect(shell.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to light mode");
        await shell.ScreenshotAsync("dark-mode");
    }

    [Fact]
    public async Task UnknownAddress_ShowsFleetsNotFoundPage_WithAWayHome()
    {
        await using var browser = await BrowserSession.SignInAsync(_server);
        var response = await browser.Page.GotoAsync("/no/such/page");
        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        var shell = new AppShell(browser);
        await Assertions.Expect(shell.NotFound).ToContainTextAsync("Page not found");
        await shell.NotFound.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Fleet status");
    }
}
