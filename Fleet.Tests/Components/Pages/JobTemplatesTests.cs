using Bunit;
using Fleet.Domain.Security;
using Fleet.Web.Components.Pages;

namespace Fleet.Tests.Components.Pages;

public sealed class JobTemplatesTests : FleetPageTestContext
{
    private static string[] TemplateNames(IRenderedComponent<JobTemplates> page) =>
        page.FindAll("[data-template]").Select(t => t.GetAttribute("data-template")!).ToArray();

    [Fact]
    public void Admin_SeesNewEditCloneAndDelete()
    {
        var page = Render<JobTemplates>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-template]").Count));
        Assert.Equal("/jobs/templates/new", page.Find("#template-new").GetAttribute("href"));
        Assert.Equal("/jobs/templates/2/edit", page.Find("[data-template='Deploy'] [data-action='edit']").GetAttribute("href"));
        Assert.Equal(2, page.FindAll("[data-action='clone']").Count);
        Assert.Equal(2, page.FindAll("[data-action='delete']").Count);
    }

    [Theory]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Viewer)]
    public void NonAdmins_SeeTheListReadOnly(string role)
    {
        SignInAs(role);
        var page = Render<JobTemplates>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-template]").Count));
        Assert.Empty(page.FindAll("#template-new, [data-action]"));
        Assert.Contains("Only admins create, edit or delete templates.", page.Markup);
    }

    [Fact]
    public async Task Clone_AsksForTheNewName_AndListsTheCopy()
    {
        var provider = RenderProviders();
        var page = Render<JobTemplates>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-template]").Count));

        page.Find("[data-template='Deploy'] [data-action='clone']").Click();
        provider.WaitForAssertion(() => Assert.Equal("Deploy (copy)", provider.Find("#clone-template-name").GetAttribute("value")));
        provider.Find("#clone-template-name").Input("Deploy canary");
        await provider.Find("#clone-template-submit").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Deploy canary", TemplateNames(page)));
        var copy = Templates.Items.Single(t => t.Name == "Deploy canary");
        Assert.Equal(Templates.Items.Single(t => t.Name == "Deploy").Script, copy.Script);
        Assert.Contains("Template Deploy canary created from Deploy.", SnackbarMessages);
    }

    [Fact]
    public async Task Clone_TakenName_StaysOpenWithTheReason()
    {
        var provider = RenderProviders();
        var page = Render<JobTemplates>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-template]").Count));

        page.Find("[data-template='Deploy'] [data-action='clone']").Click();
        provider.WaitForAssertion(() => provider.Find("#clone-template-name"));
        provider.Find("#clone-template-name").Input("Run Command - Script Default");
        await provider.Find("#clone-template-submit").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Contains("has already been taken", provider.Find("#clone-template-error").TextContent));
        Assert.Equal(2, Templates.Items.Count);
    }

    [Fact]
    public void Delete_Cancelled_NamedTheTemplate_AndKeepsIt()
    {
        var provider = RenderProviders();
        var page = Render<JobTemplates>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-template]").Count));

        page.Find("[data-template='Deploy'] [data-action='delete']").Click();
        NamesWhatItTouches_ThenCancel(provider, "Delete Deploy?", "Template Deploy is deleted");

        Assert.Equal(2, Templates.Items.Count);
        Assert.Equal(2, page.FindAll("[data-template]").Count);
        Assert.DoesNotContain(Audit.Entries, e => e.Action == "delete job template");
    }

    [Fact]
    public async Task Delete_ConfirmsNamingTheTemplate_ThenRemovesIt()
    {
        var provider = RenderProviders();
        var page = Render<JobTemplates>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-template]").Count));

        page.Find("[data-template='Deploy'] [data-action='delete']").Click();
        provider.WaitForAssertion(() => Assert.Contains("Template Deploy is deleted for good", provider.Markup));
        Assert.Contains("Delete Deploy?", provider.Markup);
        Assert.Equal(2, Templates.Items.Count);
        await provider.FindAll("button").Single(b => b.TextContent.Contains("Delete template")).ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["Run Command - Script Default"], TemplateNames(page)));
        Assert.Contains(("delete job template", "Deploy", Fleet.Web.Audit.AuditOutcomes.Success), Audit.Entries);
    }

    [Fact]
    public async Task Delete_UsedByAScheduledJob_IsRefusedWithTheEnginesReason()
    {
        Templates.UsedBySchedules.Add(2);
        var provider = RenderProviders();
        var page = Render<JobTemplates>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-template]").Count));

        page.Find("[data-template='Deploy'] [data-action='delete']").Click();
        provider.WaitForAssertion(() => provider.FindAll("button").Single(b => b.TextContent.Contains("Delete template")));
        await provider.FindAll("button").Single(b => b.TextContent.Contains("Delete template")).ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Template 'Deploy' is used by scheduled jobs (41); cancel them first.", page.Find("#templates-error").TextContent));
        Assert.Equal(2, page.FindAll("[data-template]").Count);
    }
}
