using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent;
using Fleet.Agent.Children;
using Fleet.Agent.Execution;
using Fleet.Agent.Maintenance;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.AgentMaintenance;

/// <summary>
/// The whole INSTALL of a child host: the parent's agent receives the order, a new agent enrols with the order's ticket,
/// and the task becomes SUCCEEDED once that agent is connected. The parent's ChildAgentInstall action here starts an
/// in-process agent with the ticket (what the real action does through <c>lxc exec</c> / <c>docker exec</c> and install.sh).
/// </summary>
public sealed class ChildInstallEnrolmentTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:Agents:AutoApprove"] = "false" });

    public void Dispose() => _server.Dispose();

    private sealed class StartsTheChildsAgent(FleetServer server) : IMaintenanceAction
    {
        public CommandKind Kind => CommandKind.ChildAgentInstall;

        public Task<MaintenanceOutcome?> RunAsync(string order, MaintenanceContext context, CancellationToken ct)
        {
            var install = AgentMaintenanceJson.Read<ChildAgentInstallOrder>(order);
            var name = install.Install.Hostname ?? install.ChildName;
            server.StartAgent("machine-child-" + install.ChildName, name, new FixedInventorySource(name), enrollmentToken: install.Install.EnrollmentToken);
            return Task.FromResult<MaintenanceOutcome?>(MaintenanceOutcome.Succeeded);
        }
    }

    private async Task<JsonElement> GetAsync(HttpClient api, string invocationId)
    {
        using var response = await api.GetAsync($"/v3/p1/agent-invocations/{invocationId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task ChildInstall_EnrolsTheNewAgentWithItsTicket_AndSucceedsOnceItIsConnected()
    {
        // An install needs some package; the one built with the server is there when this machine could build it.
        var packages = _server.Get<IAgentPackages>();
        if (await packages.ForVersionTypeAsync(null) is null)
            await packages.AddAsync("0.1.0", new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\n")), "tests");
        var stateDir = _server.AgentStateDir("machine-parent");
        var parent = _server.StartAgent("machine-parent", "parent-01", new FixedInventorySource("parent-01"), children: [new SandboxChild("web-c1", "running")],
            commands: reporter => new ExecutorCommandHandler(new CommandExecutor(stateDir, new SandboxPowerProvider(stateDir, (_, _) => Task.CompletedTask), reporter,
                server: _server.Address, maintenance: [new StartsTheChildsAgent(_server)], downloader: new AgentPackageDownloader(new HttpClient()))));
        using var api = _server.Api();
        Guid parentId = default;
        await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            parentId = await db.Hosts.Where(h => h.MachineId == "machine-parent").Select(h => h.Id).FirstOrDefaultAsync();
            return parentId;
        }, id => id != Guid.Empty, "the parent to enrol");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/host/{parentId}/approve", null)).StatusCode);
        await Eventually.Until(() => parent.Agent.IsAccepted, "the parent to be accepted");
        var childId = await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            return await db.ChildHosts.Where(c => c.ParentHostId == parentId).Select(c => c.Id).FirstOrDefaultAsync();
        }, id => id != Guid.Empty, "the parent's child host to be reported");

        using var created = await api.PostAsJsonAsync("/v3/p1/agent-invocations/batch-create", new { invocation_type = "INSTALL", instance_ids = new[] { childId.ToString() } });
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, createdText);
        var invocationId = JsonDocument.Parse(createdText).RootElement.GetProperty("invocations")[0].GetProperty("invocation_id").GetString()!;

        var done = await Eventually.Until(() => GetAsync(api, invocationId), body => body.GetProperty("invocation_status").GetString() != "WAITING" &&
            body.GetProperty("invocation_status").GetString() != "RUNNING", "the install to end");
        Assert.Equal("SUCCEEDED", done.GetProperty("invocation_status").GetString());
        var enrolled = done.GetProperty("enrolled_host_id").GetGuid();
        await using (var db = _server.Db())
        {
            var host = await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == enrolled);
            // Approved without an operator, though this server asks one for every other host: the ticket was the operator's request.
            Assert.Equal(("machine-child-web-c1", "web-c1", HostApproval.Approved), (host.MachineId, host.Hostname, host.Approval));
        }
        Assert.Equal("0.1.0", done.GetProperty("version_after").GetString());

        using var again = await api.PostAsJsonAsync("/v3/p1/agent-invocations/batch-create", new { invocation_type = "INSTALL", instance_ids = new[] { childId.ToString() } });
        var refused = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invocations")[0];
        Assert.Equal("invocationmgr.2002", refused.GetProperty("error_code").GetString());
    }
}
