using Bunit;
using Fleet.Domain.Security;
using Fleet.Web.Components.Pages;
using Fleet.Web.Security;

namespace Fleet.Tests.Components.Pages;

public sealed class SettingsTests : FleetPageTestContext
{
    public SettingsTests()
    {
        Accounts.Users.Add(new UserView(Guid.NewGuid(), "admin", Roles.Admin, DateTimeOffset.UtcNow.AddDays(-3)));
    }

    [Fact]
    public void CreateToken_ShowsTheSecretOnce()
    {
        Accounts.NextSecret = "fleet_s3cr3t_value_0123456789";
        var dialogs = RenderProviders();
        var cut = Render<Settings>();
        OpenTab(cut, "API tokens");

        cut.Find("#create-token").Click();
        dialogs.WaitForElement("#new-token-name").Input("ci-pipeline");
        dialogs.Find("#create-token-submit").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("fleet_s3cr3t_value_0123456789", dialogs.Find("#created-token-secret").TextContent));
        Assert.Contains("will not be shown again", dialogs.Find("#token-secret-warning").TextContent);
        cut.WaitForAssertion(() => Assert.Equal("ci-pipeline", cut.Find("[data-token='ci-pipeline']").TextContent));
        Assert.DoesNotContain("fleet_s3cr3t_value_0123456789", cut.Markup);

        dialogs.Find("#token-secret-done").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#created-token-secret")));
        Assert.DoesNotContain("fleet_s3cr3t_value_0123456789", dialogs.Markup + cut.Markup);
    }

    [Fact]
    public void RotateEnrollmentToken_AfterConfirmation_ShowsTheNewTokenOnce()
    {
        var dialogs = RenderProviders();
        var cut = Render<Settings>();
        OpenTab(cut, "Agents");
        cut.WaitForAssertion(() => Assert.Contains("Fleet:Agents:EnrollmentToken", cut.Find("#enrollment-token-source").TextContent));

        cut.Find("#rotate-enrollment-token").Click();
        Assert.Empty(EnrollmentTokens.RotatedBy);
        dialogs.WaitForElement("#confirm-yes").Click();

        dialogs.WaitForAssertion(() => Assert.Equal(EnrollmentTokens.NextToken, dialogs.Find("#created-token-secret").TextContent));
        Assert.Single(EnrollmentTokens.RotatedBy);
        Assert.Contains(Audit.Entries, e => e.Action == "rotate enrolment token");
        Assert.DoesNotContain(Audit.Entries, e => e.Target.Contains(EnrollmentTokens.NextToken) || e.Outcome.Contains(EnrollmentTokens.NextToken));
        cut.WaitForAssertion(() => Assert.Contains("no longer works", cut.Find("#enrollment-token-source").TextContent));
        Assert.DoesNotContain(EnrollmentTokens.NextToken, cut.Markup);
        dialogs.Find("#token-secret-done").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain(EnrollmentTokens.NextToken, dialogs.Markup));
    }

    [Fact]
    public void RotateWebhookSecret_AfterConfirmation_ShowsTheNewSecretOnce_AndAuditsWithoutIt()
    {
        var dialogs = RenderProviders();
        var cut = Render<Settings>();
        OpenTab(cut, "Notifications");
        cut.WaitForAssertion(() => Assert.Contains("generated", cut.Find("#webhook-secret-source").TextContent));

        cut.Find("#rotate-webhook-secret").Click();
        Assert.Equal(0, WebhookSecrets.Rotations);
        dialogs.WaitForElement("#confirm-yes").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("new-webhook-secret-1", dialogs.Find("#created-token-secret").TextContent));
        Assert.Contains("rotate it again", dialogs.Find("#token-secret-warning").TextContent);
        Assert.Equal(1, WebhookSecrets.Rotations);
        Assert.Contains(Audit.Entries, e => e.Action == "rotate webhook secret");
        Assert.DoesNotContain(Audit.Entries, e => e.Target.Contains("new-webhook-secret") || e.Outcome.Contains("new-webhook-secret"));
        Assert.DoesNotContain("new-webhook-secret-1", cut.Markup);
        dialogs.Find("#token-secret-done").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("new-webhook-secret-1", dialogs.Markup));
    }

    [Fact]
    public void WebhookSecret_SetInConfiguration_CannotBeRotatedHere()
    {
        WebhookSecrets.IsConfigured = true;
        RenderProviders();
        var cut = Render<Settings>();
        OpenTab(cut, "Notifications");

        cut.WaitForAssertion(() => Assert.Contains("Fleet:Notifications:WebhookSecret", cut.Find("#webhook-secret-source").TextContent));
        Assert.Empty(cut.FindAll("#rotate-webhook-secret"));
    }

    [Fact]
    public void CreateUser_AddsTheUserToTheList()
    {
        var dialogs = RenderProviders();
        var cut = Render<Settings>();

        cut.Find("#create-user").Click();
        dialogs.WaitForElement("#new-username").Input("carol");
        dialogs.Find("#new-password").Input("correct horse battery");
        dialogs.Find("#create-user-submit").Click();

        cut.WaitForAssertion(() => Assert.Equal("carol", cut.Find("span[data-username='carol']").TextContent));
        Assert.Equal(Roles.Viewer, Accounts.Users.Single(u => u.Username == "carol").Role);
    }

    [Fact]
    public void CreateUser_WithShortPassword_IsRefusedInTheDialog()
    {
        var dialogs = RenderProviders();
        var cut = Render<Settings>();

        cut.Find("#create-user").Click();
        dialogs.WaitForElement("#new-username").Input("carol");
        dialogs.Find("#new-password").Input("short");
        dialogs.Find("#create-user-submit").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("at least 8 characters", dialogs.Markup));
        Assert.DoesNotContain(Accounts.Users, u => u.Username == "carol");
    }

    [Fact]
    public void CreateUser_WhenTheServiceRefuses_ShowsItsMessage()
    {
        var dialogs = RenderProviders();
        var cut = Render<Settings>();

        cut.Find("#create-user").Click();
        dialogs.WaitForElement("#new-username").Input("admin");
        dialogs.Find("#new-password").Input("correct horse battery");
        dialogs.Find("#create-user-submit").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("The username admin is taken.", dialogs.Find("#create-user-error").TextContent));
    }

    [Fact]
    public void RevokeToken_AfterConfirmation_MarksItRevoked()
    {
        Accounts.Tokens.Add(new ApiTokenView(Guid.NewGuid(), "backup-script", Roles.Operator, "fleet_ab12", DateTimeOffset.UtcNow, null, null));
        var dialogs = RenderProviders();
        var cut = Render<Settings>();
        OpenTab(cut, "API tokens");

        cut.Find("[data-action=revoke-token]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke backup-script?", dialogs.Markup));
        dialogs.Find("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Equal("revoked", cut.Find("[data-token-state]").TextContent.Trim()));
        Assert.NotNull(Accounts.Tokens.Single().RevokedAt);
    }

    private static void OpenTab(IRenderedComponent<Settings> cut, string text) =>
        cut.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == text).Click();

    [Fact]
    public void DisableUser_Cancelled_NamedTheUser_AndLeavesThemEnabled()
    {
        var erin = new UserView(Guid.NewGuid(), "erin", Roles.Viewer, DateTimeOffset.UtcNow);
        Accounts.Users.Add(erin);
        var dialogs = RenderProviders();
        var cut = Render<Settings>();

        cut.Find("[data-action='disable-user'][data-username='erin']").Click();
        NamesWhatItTouches_ThenCancel(dialogs, "Disable erin?", "Disable erin");

        Assert.False(Accounts.Users.Single(u => u.Id == erin.Id).Disabled);
        Assert.DoesNotContain(Audit.Entries, e => e.Action == "disable user");
    }

    [Fact]
    public void DeleteUser_Cancelled_NamedTheUser_AndDeletesNobody()
    {
        Accounts.Users.Add(new UserView(Guid.NewGuid(), "erin", Roles.Viewer, DateTimeOffset.UtcNow));
        var dialogs = RenderProviders();
        var cut = Render<Settings>();
        var before = Accounts.Users.Count;

        cut.Find("[data-action='delete-user'][data-username='erin']").Click();
        NamesWhatItTouches_ThenCancel(dialogs, "Delete erin?", "Delete erin");

        Assert.Equal(before, Accounts.Users.Count);
        Assert.DoesNotContain(Audit.Entries, e => e.Action == "delete user");
    }

    [Fact]
    public void RevokeToken_Cancelled_NamedTheToken_AndLeavesItActive()
    {
        Accounts.Tokens.Add(new ApiTokenView(Guid.NewGuid(), "backup-script", Roles.Operator, "fleet_ab12", DateTimeOffset.UtcNow, null, null));
        var dialogs = RenderProviders();
        var cut = Render<Settings>();
        OpenTab(cut, "API tokens");
        var state = cut.Find("[data-token-state]").TextContent.Trim();

        cut.Find("[data-action=revoke-token]").Click();
        NamesWhatItTouches_ThenCancel(dialogs, "Revoke backup-script?", "The API token backup-script");

        Assert.Equal(state, cut.Find("[data-token-state]").TextContent.Trim());
        Assert.NotEqual("revoked", state);
        Assert.DoesNotContain(Audit.Entries, e => e.Action == "revoke token");
    }

    [Fact]
    public void RotateEnrollmentToken_Cancelled_NamedTheToken_AndKeepsIt()
    {
        var dialogs = RenderProviders();
        var cut = Render<Settings>();
        OpenTab(cut, "Agents");

        cut.WaitForElement("#rotate-enrollment-token").Click();
        NamesWhatItTouches_ThenCancel(dialogs, "fleet enrolment token");

        Assert.Empty(EnrollmentTokens.RotatedBy);
        Assert.DoesNotContain(Audit.Entries, e => e.Action == "rotate enrolment token");
    }

    [Fact]
    public void RotateWebhookSecret_Cancelled_NamedTheSecret_AndKeepsIt()
    {
        var dialogs = RenderProviders();
        var cut = Render<Settings>();
        OpenTab(cut, "Notifications");

        cut.WaitForElement("#rotate-webhook-secret").Click();
        NamesWhatItTouches_ThenCancel(dialogs, "webhook signing secret");

        Assert.Equal(0, WebhookSecrets.Rotations);
    }

    [Fact]
    public void DisableUser_DisablesThroughTheService_ShowsIt_AndIsAudited()
    {
        var erin = new UserView(Guid.NewGuid(), "erin", Roles.Viewer, DateTimeOffset.UtcNow);
        Accounts.Users.Add(erin);
        var dialogs = RenderProviders();
        var cut = Render<Settings>();

        cut.Find("[data-action='disable-user'][data-username='erin']").Click();
        dialogs.WaitForElement("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Contains("Enable", cut.Find("[data-action='enable-user'][data-username='erin']").TextContent));
        Assert.True(Accounts.Users.Single(u => u.Id == erin.Id).Disabled);
        Assert.Contains(("disable user", "user erin", "success"), Audit.Entries);

        cut.Find("[data-action='enable-user'][data-username='erin']").Click();
        cut.WaitForAssertion(() => Assert.False(Accounts.Users.Single(u => u.Id == erin.Id).Disabled));
        Assert.Contains(("enable user", "user erin", "success"), Audit.Entries);
    }

    [Fact]
    public void Unlock_IsOfferedOnlyForLockedUsers_AndClearsTheLock()
    {
        Accounts.Users.Add(new UserView(Guid.NewGuid(), "ivan", Roles.Viewer, DateTimeOffset.UtcNow, LockedUntil: DateTimeOffset.UtcNow.AddMinutes(15)));
        var cut = Render<Settings>();
        Assert.Single(cut.FindAll("[data-action='unlock-user']"));
        Assert.Equal("locked", cut.Find("[data-user-state='locked']").TextContent.Trim());

        cut.Find("[data-action='unlock-user'][data-username='ivan']").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-action='unlock-user']")));
        Assert.Null(Accounts.Users.Single(u => u.Username == "ivan").LockedUntil);
        Assert.Contains(("unlock user", "user ivan", "success"), Audit.Entries);
    }

    [Fact]
    public void SetPassword_GoesToTheService_AndTheAuditRecordHoldsNoPassword()
    {
        var dialogs = RenderProviders();
        var cut = Render<Settings>();

        cut.Find("[data-action='set-password'][data-username='admin']").Click();
        dialogs.WaitForElement("#set-password").Input("brand-new-secret-9");
        dialogs.Find("#set-password-submit").Click();

        cut.WaitForAssertion(() => Assert.Single(Accounts.PasswordsSet));
        Assert.Equal("brand-new-secret-9", Accounts.PasswordsSet[0].Password);
        cut.WaitForAssertion(() => Assert.Contains(("set password", "user admin", "success"), Audit.Entries));
        Assert.DoesNotContain(Audit.Entries, e => (e.Action + e.Target + e.Outcome).Contains("brand-new-secret-9"));
    }

    [Fact]
    public void DeletingTheLastAdmin_IsRefused_AndTheFailureIsAudited()
    {
        Accounts.FailNextWith = new ArgumentException("Fleet needs at least one admin user.");
        var dialogs = RenderProviders();
        var cut = Render<Settings>();

        cut.Find("[data-action='delete-user'][data-username='admin']").Click();
        dialogs.WaitForElement("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Contains(("delete user", "user admin", "error: Fleet needs at least one admin user."), Audit.Entries));
        Assert.Single(Accounts.Users);
    }
}
