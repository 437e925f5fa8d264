using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary><c>/account/password</c>: the signed-in user changes their own password.</summary>
public sealed class AccountPage(BrowserSession browser) : DashboardPage(browser)
{
    public async Task<AccountPage> OpenAsync()
    {
        await GotoAsync("/account/password");
        return this;
    }

    /// <summary>Changes the password; the session ends with it, so the browser lands on the sign-in form.</summary>
    public async Task ChangePasswordAsync(string current, string next)
    {
        await Page.FillAsync("#current-password", current);
        await Page.FillAsync("#new-password", next);
        await Page.FillAsync("#confirm-password", next);
        await Page.ClickAsync("#change-password");
        await Browser.Login.ExpectShownAsync();
    }
}
