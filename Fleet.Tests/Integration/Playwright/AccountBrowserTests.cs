using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>A user changes their password and signs in with the new one.</summary>
[Collection(BrowserTests.Name)]
public sealed class AccountBrowserTests : IDisposable
{
    private const string NewPassword = "a brand new passphrase 42";

    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "false" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ChangePassword_ThenTheOldOneIsRefused_AndTheNewOneSignsIn()
    {
        await using var browser = await BrowserSession.SignInAsync(_server);
        var account = await new AccountPage(browser).OpenAsync();

        await account.ChangePasswordAsync(FleetServer.AdminPassword, NewPassword);

        await browser.Login.SignInAsync("admin", FleetServer.AdminPassword);
        await browser.Login.ExpectShownAsync();
        await Assertions.Expect(browser.Page.Locator("#fleet-interactive")).ToHaveCountAsync(0);

        await browser.Login.SignInAsync("admin", NewPassword);
        await browser.WaitInteractiveAsync();
        await Assertions.Expect(browser.Page.Locator("#signed-in-user")).ToContainTextAsync("admin");
    }
}
