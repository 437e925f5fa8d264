using Bunit;
using Fleet.Domain.Security;
using Fleet.Web.Components.Pages;
using Fleet.Web.Security;
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

    [Fact]
    public async Task Admin_SetsAnotherUsersPassword_FromTheSamePage()
    {
        var operatorId = Guid.NewGuid();
        Accounts.Users.Add(new UserView(Guid.NewGuid(), "admin-user", Roles.Admin, DateTimeOffset.UtcNow));
        Accounts.Users.Add(new UserView(operatorId, "olivia", Roles.Operator, DateTimeOffset.UtcNow));
        RenderProviders();
        var page = Render<ChangePassword>();
        page.WaitForElement("#reset-other-password");
        // The admin's own password is changed above, with the current one: the list offers only the others.
        var select = page.FindComponent<MudBlazor.MudSelect<Guid?>>();
        select.Find("div.mud-input-control").MouseDown();
        page.WaitForAssertion(() => Assert.Equal([operatorId], page.FindComponents<MudBlazor.MudSelectItem<Guid?>>().Select(i => i.Instance.Value)));
        Assert.True(page.Find("#reset-password-submit").HasAttribute("disabled"));

        await select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(operatorId));
        page.Find("#reset-password").Input("olivias-new-pass-1");
        page.Find("#reset-confirm").Input("olivias-new-pass-1");
        page.WaitForAssertion(() => Assert.False(page.Find("#reset-password-submit").HasAttribute("disabled")));
        await page.Find("#reset-password-submit").ClickAsync(new());

        Assert.Equal((operatorId, "olivias-new-pass-1"), Assert.Single(Accounts.PasswordsSet));
        Assert.Contains(Audit.Entries, e => e.Action == "set password" && e.Target == "user olivia");
        Assert.Contains(SnackbarMessages, m => m!.Contains("olivia's password was set"));
    }

    [Fact]
    public void Operator_DoesNotSeeTheResetOfOtherUsers()
    {
        SignInAs(Roles.Operator);
        RenderProviders();
        var page = Render<ChangePassword>();
        page.WaitForAssertion(() => Assert.Contains("Change your password", page.Markup));
        Assert.Empty(page.FindAll("#reset-other-password"));
    }
}
