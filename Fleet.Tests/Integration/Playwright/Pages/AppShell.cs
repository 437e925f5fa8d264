using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary>What surrounds every page: the app bar's theme toggle, and the page shown for an unknown address.</summary>
public sealed class AppShell(BrowserSession browser) : DashboardPage(browser)
{
    /// <summary>Its label names the theme it switches to, so it says which theme is showing.</summary>
    public ILocator ThemeToggle => Page.Locator("#theme-toggle");

    public ILocator NotFound => Page.Locator("#not-found");

    public Task OpenAsync(string path) => GotoAsync(path);

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await Browser.WaitInteractiveAsync();
    }

    public Task ToggleThemeAsync() => ThemeToggle.ClickAsync();

    public Task PreferColorSchemeAsync(ColorScheme scheme) => Page.EmulateMediaAsync(new() { ColorScheme = scheme });
}
