using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>The Agents page in a real browser, against a real server with its built-in agent.</summary>
[Collection(BrowserTests.Name)]
public sealed class AgentsBrowserTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "true" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Agents_ShowsTheLocalAgentsVersion_AndThePackages()
    {
        var reader = _server.Get<IFleetReader>();
        var local = await Eventually.Until(() => reader.ListHostsAsync(new HostListQuery(Status: HostStatusFilter.Online)),
            page => page.Items.Count == 1 && page.Items[0].AgentVersion.Length > 0, "the local agent online with its version");
        var version = local.Items[0].AgentVersion;
        var packages = _server.Get<IAgentPackages>();
        await packages.AddAsync("9.9.1", new MemoryStream([0x7f, 0x45, 0x4c, 0x46, 1]), "test");
        await packages.AddAsync("9.9.2", new MemoryStream([0x7f, 0x45, 0x4c, 0x46, 2]), "test");

        await using var browser = await BrowserSession.SignInAsync(_server);
        var agents = await new AgentsPage(browser).OpenAsync();

        await Assertions.Expect(agents.VersionRow(version)).ToBeVisibleAsync();
        await Assertions.Expect(agents.Count("agents")).ToHaveTextAsync("1");
        // The first package stored is the default, and the local agent is on neither.
        await Assertions.Expect(agents.Count("out-of-date")).ToHaveTextAsync(version == "9.9.1" ? "0" : "1");
        await Assertions.Expect(agents.Package("9.9.2")).ToBeVisibleAsync();
        await Assertions.Expect(agents.Package("9.9.1")).ToHaveAttributeAsync("data-default", "true");
        await Assertions.Expect(agents.DefaultChip("9.9.1")).ToBeVisibleAsync();

        await agents.ShowHostsOfAsync(version);
        await Assertions.Expect(agents.HostsOfVersion(version)).ToHaveTextAsync(local.Items[0].Hostname);
        await agents.ScreenshotAsync("agents");
    }
}
