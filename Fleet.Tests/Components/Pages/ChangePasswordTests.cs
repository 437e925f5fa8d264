using Bunit;
using Fleet.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Components.Pages;

public sealed class ChangePasswordTests : FleetPageTestContext
{
    private IRenderedComponent<ChangePassword> Fill(string current, string next, string confirm)
    {
        RenderProviders();
        var page = Render<ChangePassword>();
        page.Find("#current-password").Change(current);
        page.Find("#new-password").Input(next);
        page.Find("#confirm-password").Input(confirm);
        return page;
    }

    [Fact]
    public void Submit_StaysDisabled_UntilTheNewPasswordIsLongEnoughAndConfirmed()
    {
        var page = Fill("current-password", "short", "short");
        Assert.True(page.Find("#change-password").HasAttribute("disabled"));
        page.Find("#new-password").Input("long-enough-1");
        page.Find("#confirm-password").Input("long-enough-2");
        page.WaitForAssertion(() => Assert.Contains("The two new passwords differ.", page.Markup));
        Assert.True(page.Find("#change-password").HasAttribute("disabled"));
        page.Find("#confirm-password").Input("long-enough-1");
        page.WaitForAssertion(() => Assert.False(page.Find("#change-password").HasAttribute("disabled")));
    }

    [Fact]
    public async Task Change_WithTheRightCurrentPassword_ChangesIt_AndSendsToSignIn()
    {
        var page = Fill("current-password", "long-enough-1", "long-enough-1");
        await page.Find("#change-password").ClickAsync(new());
        Assert.Equal(("admin-user", "current-password", "long-enough-1"), Assert.Single(Accounts.OwnPasswordChanges));
        Assert.EndsWith("/login?changed=1", Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Contains(Audit.Entries, e => e.Action == "change own password" && e.Target == "user admin-user");
    }

    [Fact]
    public async Task Change_WithAWrongCurrentPassword_SaysSo_AndChangesNothing()
    {
        var page = Fill("not-it", "long-enough-1", "long-enough-1");
        await page.Find("#change-password").ClickAsync(new());
        Assert.Contains("current password is not right", page.Find("#password-error").TextContent);
        Assert.Empty(Accounts.OwnPasswordChanges);
        Assert.DoesNotContain("/login", Services.GetRequiredService<NavigationManager>().Uri);
    }
}
