using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary><c>/jobs/templates/new</c>: a template's fields, its inputs and its script with the placeholder chips.</summary>
public sealed class TemplateEditorPage(BrowserSession browser) : DashboardPage(browser)
{
    public async Task<TemplateEditorPage> OpenNewAsync()
    {
        await GotoAsync("/jobs/templates/new");
        return this;
    }

    public ILocator Script => Page.Locator("#template-script");

    public ILocator Chip(string inputName) => Page.Locator($"[data-placeholder='{inputName}']");

    public async Task DescribeAsync(string name, string category)
    {
        await Page.FillAsync("#template-name", name);
        await Page.FillAsync("#template-category", category);
    }

    public async Task AddInputAsync(int index, string name)
    {
        await Page.ClickAsync("#template-add-input");
        await Page.FillAsync($"#input-name-{index}", name);
    }

    /// <summary>Puts the script field's caret at <paramref name="position"/>, as a click there would.</summary>
    public Task PlaceCaretAsync(int position) =>
        Script.EvaluateAsync("(field, at) => { field.focus(); field.setSelectionRange(at, at); }", position);

    public Task<int> CaretAsync() => Script.EvaluateAsync<int>("field => field.selectionStart");

    public Task<bool> ScriptHasFocusAsync() => Script.EvaluateAsync<bool>("field => document.activeElement === field");

    /// <summary>Saves and waits for the templates list.</summary>
    public async Task<TemplatesPage> SaveAsync()
    {
        await Page.ClickAsync("#template-save");
        var list = new TemplatesPage(Browser);
        await list.ExpectOpenAsync();
        return list;
    }
}

/// <summary><c>/jobs/templates</c>: one card per template with Run, Edit, Clone and Delete.</summary>
public sealed class TemplatesPage(BrowserSession browser) : DashboardPage(browser)
{
    public ILocator Template(string name) => Page.Locator($"[data-template='{name}']");

    /// <summary>The card's Run button: the wizard opens with the template chosen.</summary>
    public async Task<JobWizardPage> RunAsync(string name)
    {
        await Template(name).GetByRole(AriaRole.Link, new() { Name = "Run" }).ClickAsync();
        var wizard = new JobWizardPage(Browser);
        await wizard.ExpectOpenAsync();
        return wizard;
    }

    internal Task ExpectOpenAsync() => ExpectUrlAsync("/jobs/templates$");
}
