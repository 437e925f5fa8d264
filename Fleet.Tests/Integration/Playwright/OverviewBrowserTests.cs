using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Fleet.Web.Data;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>The overview's counters and MudChart charts, drawn from real agents and real job results.</summary>
[Collection(BrowserTests.Name)]
public sealed class OverviewBrowserTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "false" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Charts_DrawTheFleet_AndTheCountersShowItsNumbers()
    {
        await _server.StartAcceptedAgentAsync("pw-ov-ok");
        await _server.StartAcceptedAgentAsync("pw-ov-bad");
        await _server.WaitForEndAsync(await _server.RunAsync("echo fine", "name = pw-ov-ok"));
        await _server.WaitForEndAsync(await _server.RunAsync("exit 3", "name = pw-ov-bad"));
        // The sampler writes one point every ten minutes; two earlier points stand for the hours before the test.
        await using (var db = _server.Db())
        {
            var now = DateTimeOffset.UtcNow;
            db.FleetSamples.Add(new FleetSampleRecord { At = now.AddHours(-2), Total = 1, Online = 1 });
            db.FleetSamples.Add(new FleetSampleRecord { At = now.AddHours(-1), Total = 2, Online = 1 });
            await db.SaveChangesAsync();
        }

        await using var browser = await BrowserSession.SignInAsync(_server);
        var overview = await new OverviewPage(browser).OpenAsync();

        await Assertions.Expect(overview.Count("total")).ToHaveTextAsync("2");
        await Assertions.Expect(overview.Count("online")).ToHaveTextAsync("2");
        await Assertions.Expect(overview.Count("offline")).ToHaveTextAsync("0");
        await Assertions.Expect(overview.Count("pending")).ToHaveTextAsync("0");
        await Assertions.Expect(overview.Count("failed-jobs")).ToHaveTextAsync("1");

        await Assertions.Expect(overview.OnlineLines).Not.ToHaveCountAsync(0);
        await Assertions.Expect(overview.ResultBars).Not.ToHaveCountAsync(0);
        await Assertions.Expect(overview.SuccessRate).ToContainTextAsync("50");
        // Both hosts run the same agent build: one version, counted twice.
        await Assertions.Expect(overview.DonutSegments("agent-mix")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(overview.Page.Locator("#agent-mix [data-hosts]")).ToHaveTextAsync("2");
        await Assertions.Expect(overview.DonutSegments("os-mix")).Not.ToHaveCountAsync(0);
        await overview.ScreenshotAsync("overview");
    }
}
