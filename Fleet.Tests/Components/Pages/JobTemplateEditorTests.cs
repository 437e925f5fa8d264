using Bunit;
using Fleet.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Components.Pages;

public sealed class JobTemplateEditorTests : FleetPageTestContext
{
    private string Uri => Services.GetRequiredService<NavigationManager>().Uri;

    [Fact]
    public async Task Create_WithAnInputAndItsPlaceholder_SavesTheTemplateAndReturnsToTheList()
    {
        RenderProviders();
        var editor = Render<JobTemplateEditor>();
        editor.Find("#template-name").Input("Restart service");
        editor.Find("#template-category").Change("Services");
        editor.Find("#template-timeout").Change("90");
        editor.Find("#template-add-input").Click();
        editor.Find("#input-name-0").Input("service");
        editor.Find("#input-options-0").Change("nginx, ssh");
        editor.Find("[data-input-required='0'] input, input[data-input-required='0']").Change(true);
        editor.Find("#template-script").Input("systemctl restart");
        editor.Find("[data-placeholder='service']").Click();
        editor.WaitForAssertion(() => Assert.Equal("systemctl restart <%= input('service') %>", editor.Find("#template-script").GetAttribute("value") ?? editor.Find("#template-script").TextContent));

        await editor.Find("#template-save").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.EndsWith("/jobs/templates", Uri));
        var created = Assert.Single(Templates.Items, t => t.Name == "Restart service");
        Assert.Equal("Services", created.JobCategory);
        Assert.Equal(90, created.DefaultTimeoutSeconds);
        Assert.Equal("systemctl restart <%= input('service') %>", created.Script);
        var input = Assert.Single(created.Inputs);
        Assert.Equal(("service", true), (input.Name, input.Required));
        Assert.Equal(["nginx", "ssh"], input.Options);
        Assert.Contains(("create job template", "Restart service"), Audit.Entries.Select(e => (e.Action, e.Target)));
    }

    [Fact]
    public async Task Save_PlaceholderWithNoInput_ShowsTheEnginesMessageOnTheScriptAndSavesNothing()
    {
        RenderProviders();
        var editor = Render<JobTemplateEditor>();
        editor.Find("#template-name").Input("Broken");
        editor.Find("#template-script").Input("echo <%= input('missing') %>");

        await editor.Find("#template-save").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.Contains("uses input 'missing', which the template does not define", editor.Markup));
        Assert.DoesNotContain(Templates.Items, t => t.Name == "Broken");
        Assert.EndsWith("/", Uri);
    }

    [Fact]
    public async Task Save_TakenName_IsRefusedBesideTheName()
    {
        RenderProviders();
        var editor = Render<JobTemplateEditor>();
        editor.Find("#template-name").Input("Deploy");
        editor.Find("#template-script").Input("echo hi");

        await editor.Find("#template-save").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.Contains("has already been taken", editor.Find("#template-name").Closest(".mud-input-control")!.TextContent));
        Assert.Single(Templates.Items, t => t.Name == "Deploy");
    }

    [Fact]
    public async Task Save_WithoutNameOrScript_IsRefusedBeforeTheEngine()
    {
        RenderProviders();
        var editor = Render<JobTemplateEditor>();
        var before = Templates.Items.Count;

        await editor.Find("#template-save").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.Contains("Enter a name.", editor.Markup));
        Assert.Contains("Enter a script.", editor.Markup);
        Assert.Equal(before, Templates.Items.Count);
    }

    [Fact]
    public async Task Save_InputWithoutName_IsRefused()
    {
        RenderProviders();
        var editor = Render<JobTemplateEditor>();
        editor.Find("#template-name").Input("Nameless input");
        editor.Find("#template-script").Input("echo hi");
        editor.Find("#template-add-input").Click();

        await editor.Find("#template-save").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.Equal("Every input needs a name.", editor.Find("#template-inputs-error").TextContent.Trim()));
        Assert.DoesNotContain(Templates.Items, t => t.Name == "Nameless input");
    }

    [Fact]
    public void PlaceholderChip_GoesWhereTheCaretIs_OverTheSelection_AndTheCaretMovesAfterIt()
    {
        var module = JSInterop.SetupModule("./js/text-insert.js");
        // "restart " then the selected word "NAME", replaced by the placeholder.
        module.Setup<int[]?>("selection", "template-script").SetResult([8, 12]);
        var placed = module.SetupVoid("placeCaret", _ => true);
        placed.SetVoidResult();
        RenderProviders();
        var editor = Render<JobTemplateEditor>();
        editor.Find("#template-add-input").Click();
        editor.Find("#input-name-0").Input("service");
        editor.Find("#template-script").Input("restart NAME now");

        editor.Find("[data-placeholder='service']").Click();

        editor.WaitForAssertion(() => Assert.Equal("restart <%= input('service') %> now", editor.Find("#template-script").GetAttribute("value") ?? editor.Find("#template-script").TextContent));
        editor.WaitForAssertion(() => placed.VerifyInvoke("placeCaret"));
        Assert.Equal(new object?[] { "template-script", 8 + "<%= input('service') %>".Length }, placed.VerifyInvoke("placeCaret").Arguments);
    }

    [Fact]
    public async Task Edit_LoadsTheTemplate_AndSavesTheChangedScript()
    {
        RenderProviders();
        var editor = Render<JobTemplateEditor>(p => p.Add(e => e.TemplateId, 2));
        editor.WaitForAssertion(() => Assert.Equal("Deploy", editor.Find("#template-name").GetAttribute("value")));
        Assert.Equal(2, editor.FindAll("[data-input-row]").Count);
        Assert.Equal("staging, production", editor.Find("#input-options-0").GetAttribute("value"));
        Assert.Equal(["env", "token"], editor.FindAll("[data-placeholder]").Select(c => c.GetAttribute("data-placeholder")));

        editor.Find("#template-script").Input("deploy --env <%= input('env') %> <%= input('token') %>");
        await editor.Find("#template-save").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.EndsWith("/jobs/templates", Uri));
        var saved = Assert.Single(Templates.Items, t => t.Id == 2);
        Assert.Equal("deploy --env <%= input('env') %> <%= input('token') %>", saved.Script);
        Assert.Equal(["staging", "production"], saved.Inputs[0].Options);
        Assert.True(saved.Inputs[1].Sensitive);
    }

    [Fact]
    public void Edit_UnknownTemplate_SaysSoWithALinkBack()
    {
        var editor = Render<JobTemplateEditor>(p => p.Add(e => e.TemplateId, 999));
        editor.WaitForAssertion(() => Assert.Contains("No job template has id 999", editor.Find("#template-not-found").TextContent));
        Assert.Equal("/jobs/templates", editor.Find("#template-not-found a").GetAttribute("href"));
    }
}
