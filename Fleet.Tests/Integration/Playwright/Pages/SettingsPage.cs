using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary><c>/settings</c> (users and tokens) and <c>/audit</c>, the admin's pages.</summary>
public sealed class SettingsPage(BrowserSession browser) : DashboardPage(browser)
{
    public ILocator UsersTable => Page.Locator("#users-table");

    public async Task<SettingsPage> OpenAsync()
    {
        await GotoAsync("/settings");
        return this;
    }

    public ILocator UserAction(string action, string username) => Page.Locator($"[data-action='{action}'][data-username='{username}']");

    /// <summary>Disabling signs the user out, so it asks first: the confirmation must name them.</summary>
    public async Task DisableUserAsync(string username)
    {
        await UserAction("disable-user", username).ClickAsync();
        await Assertions.Expect(Page.Locator("#confirm-message")).ToContainTextAsync(username);
        await Page.ClickAsync("#confirm-yes");
    }
}

public sealed class AuditPage(BrowserSession browser) : DashboardPage(browser)
{
    public async Task<AuditPage> OpenAsync()
    {
        await GotoAsync("/audit");
        return this;
    }

    public Task SearchAsync(string text) => Page.FillAsync("#audit-search", text);

    public ILocator Entries(string action) => Page.Locator($"[data-audit-action='{action}']");
}
