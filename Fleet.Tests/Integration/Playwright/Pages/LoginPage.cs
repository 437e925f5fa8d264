using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary>The sign-in form, where every signed-out visit ends.</summary>
public sealed class LoginPage(IPage page)
{
    public ILocator Submit => page.Locator("#login-submit");

    public async Task SignInAsync(string username, string password)
    {
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await Submit.ClickAsync();
    }

    /// <summary>The page shows the sign-in form (a session that ended lands here).</summary>
    public Task ExpectShownAsync(float timeout = 30_000) => Assertions.Expect(Submit).ToBeVisibleAsync(new() { Timeout = timeout });
}
