using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Simulation;
using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>The newcomer's path through the dashboard, in a real browser against a real server, agent and database.</summary>
[Collection(BrowserTests.Name)]
public sealed class FleetDashboardTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?>
    {
        ["Fleet:LocalAgent:Enabled"] = "true",
        ["Fleet:Agents:AutoApprove"] = "false",
    });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task SignIn_SeeLocalHostOnline_FindAPackage_ApproveANewAgentLive()
    {
        using var api = _server.Api();
        var agents = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents"),
            body => body.GetProperty("agents").EnumerateArray().Any(a => a.GetProperty("status").GetString() == "online"), "the local host online");
        var localId = agents.GetProperty("agents")[0].GetProperty("id").GetGuid();
        var software = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{localId}/software"),
            body => body.GetProperty("total_packages").GetInt32() > 0, "the local software inventory");
        var packages = software.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
        // A package from the end of the list, so finding it proves the search, not the first page.
        var wanted = packages[^1];

        await using var browser = await BrowserSession.SignInAsync(_server);
        var fleet = new FleetStatusPage(browser);
        await Assertions.Expect(fleet.HostRow(Environment.MachineName)).ToHaveAttributeAsync("data-status", "online");
        await Assertions.Expect(fleet.Count("online")).ToHaveTextAsync("1");

        var host = await fleet.OpenHostAsync(Environment.MachineName);
        await host.SearchSoftwareAsync(wanted);
        await Assertions.Expect(host.Package(wanted)).ToBeVisibleAsync();

        await fleet.OpenAsync();
        await Assertions.Expect(fleet.Count("pending")).ToHaveTextAsync("0");
        var simulated = new SimulatedInventorySource(0, 4242);
        var agent = _server.StartAgent(simulated.MachineId, simulated.Hostname, simulated);
        var newRow = fleet.HostRow(simulated.Hostname);
        await Assertions.Expect(newRow).ToHaveAttributeAsync("data-status", "pending");
        await Assertions.Expect(fleet.Count("pending")).ToHaveTextAsync("1");

        await fleet.ApproveFirstPendingAsync();

        await Assertions.Expect(newRow).ToHaveAttributeAsync("data-status", "online");
        await Assertions.Expect(fleet.Count("online")).ToHaveTextAsync("2");
        await Assertions.Expect(fleet.Count("pending")).ToHaveTextAsync("0");
        Assert.True(agent.Agent.IsAccepted);
        await fleet.ScreenshotAsync("dashboard");
    }
}
