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

    public Task DisableUserAsync(string username) => UserAction("disable-user", username).ClickAsync();
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
