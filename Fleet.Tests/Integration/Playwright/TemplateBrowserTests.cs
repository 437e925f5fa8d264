using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>A template written in the dashboard's editor, then run through the wizard on a real agent.</summary>
[Collection(BrowserTests.Name)]
public sealed class TemplateBrowserTests : IDisposable
{
    private const string Placeholder = "<%= input('who') %>";

    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "false" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task PlaceholderChip_GoesWhereTheCaretIs_AndTheCaretStaysAfterIt()
    {
        await using var browser = await BrowserSession.SignInAsync(_server);
        var editor = await new TemplateEditorPage(browser).OpenNewAsync();
        await editor.AddInputAsync(0, "who");
        await editor.Script.FillAsync("echo hello ; echo done");

        await editor.PlaceCaretAsync("echo hello ".Length);
        await editor.Chip("who").ClickAsync();

        await Assertions.Expect(editor.Script).ToHaveValueAsync($"echo hello {Placeholder}; echo done");
        Assert.True(await editor.ScriptHasFocusAsync());
        Assert.Equal("echo hello ".Length + Placeholder.Length, await editor.CaretAsync());
        // Typing goes on from the caret, right after the placeholder.
        await editor.Page.Keyboard.TypeAsync("!");
        await Assertions.Expect(editor.Script).ToHaveValueAsync($"echo hello {Placeholder}!; echo done");
    }

    [Fact]
    public async Task CreateATemplateInTheEditor_RunItOnAHost_SeeItsOutput()
    {
        await _server.StartAcceptedAgentAsync("pw-tpl");
        await using var browser = await BrowserSession.SignInAsync(_server);
        var editor = await new TemplateEditorPage(browser).OpenNewAsync();
        await editor.DescribeAsync("Greet", "Commands");
        await editor.AddInputAsync(0, "who");
        await editor.Script.FillAsync("echo hello-");
        await editor.PlaceCaretAsync("echo hello-".Length);
        await editor.Chip("who").ClickAsync();
        await Assertions.Expect(editor.Script).ToHaveValueAsync($"echo hello-{Placeholder}");
        var templates = await editor.SaveAsync();
        await Assertions.Expect(templates.Template("Greet")).ToBeVisibleAsync();

        var wizard = await templates.RunAsync("Greet");
        await wizard.NextAsync();
        await wizard.FillAsync("input-who", "fleet-world");
        await wizard.NextAsync();
        await wizard.TargetsAsync("name = pw-tpl", expectedHosts: 1);
        await wizard.NextAsync();
        await wizard.NextAsync();
        var job = await wizard.RunAsync();

        await job.ExpectTargetStatusAsync("pw-tpl", "success");
        // The only host is selected by itself, so its output shows without a click.
        await Assertions.Expect(job.Page.Locator("#output-view")).ToContainTextAsync("hello-fleet-world");
        await job.ScreenshotAsync("template-job");
    }
}
