using Fleet.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>
/// The main pages at a desktop and a phone size, saved as PNGs in the test's output folder
/// (bin/…/screenshots, never committed) so that a layout regression can be seen.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ScreenshotTourBrowserTests(ITestOutputHelper output) : IDisposable
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static readonly (string Name, int Width, int Height)[] Sizes = [("desktop", 1440, 900), ("phone", 412, 915)];

    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "false" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task MainPages_AtDesktopAndPhoneSize_ShowTheirTitle_FitTheWidth_AndAreSaved()
    {
        var agent = await _server.StartAcceptedAgentAsync("pw-tour");
        var jobId = await _server.RunAsync("echo tour", "name = pw-tour");
        await _server.WaitForEndAsync(jobId);
        var hostId = agent.Agent.HostId!.Value;
        (string Name, string Path, string Title)[] pages =
        [
            ("overview", "/overview", "Overview"),
            ("fleet", "/", "Fleet status"),
            ("host", $"/hosts/{hostId}", "pw-tour"),
            ("jobs", "/jobs", "Jobs"),
            ("job", $"/jobs/{jobId}", $"#{jobId} "),
            ("wizard", "/jobs/new", "Run a job"),
            ("templates", "/jobs/templates", "Job templates"),
            ("template-editor", "/jobs/templates/new", "New job template"),
            ("agents", "/agents", "Agents"),
            ("operations", "/operations", "Operations"),
            ("settings", "/settings", "Settings"),
            ("account", "/account/password", "Change your password"),
        ];
        Directory.CreateDirectory(Folder);
        await using var browser = await BrowserSession.SignInAsync(_server);
        var tooWide = new List<string>();

        foreach (var (size, width, height) in Sizes)
        {
            await browser.Page.SetViewportSizeAsync(width, height);
            foreach (var (name, path, title) in pages)
            {
                await browser.Page.GotoAsync(path);
                await browser.WaitInteractiveAsync();
                await Assertions.Expect(browser.Page.Locator("h1").First).ToContainTextAsync(title);
                // Tables scroll inside their own box; the page itself never scrolls sideways.
                var overflow = await browser.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                if (overflow > 0) tooWide.Add($"{name} at {size}: {overflow}px wider than the window");
                var file = Path.Combine(Folder, $"{size}-{name}.png");
                await browser.Page.ScreenshotAsync(new() { Path = file, FullPage = true });
                Assert.True(new FileInfo(file).Length > 0, $"{file} is empty");
            }
        }

        output.WriteLine($"Screenshots in {Folder}");
        Assert.Empty(tooWide);
    }
}
