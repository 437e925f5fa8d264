using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Children;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Jobs;

/// <summary>An orchestration lives in the database: a server restarted half-way takes it up again through the start-up reconciler.</summary>
public sealed class RebootOrchestrationRestartTests
{
    [Fact]
    public async Task Orchestration_ServerRestartedWhileWaitingForTheAgent_StillCompletes()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "orch-restart-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Fleet:Orchestration:ReconnectTimeoutSeconds"] = "120" };
        Guid hostId;
        string orchestrationId;
        using (var first = new FleetServer(settings, directory))
        {
            // The agent goes down with the reboot and does not come back to this server: it comes back to the next one.
            var agent = first.StartAgent("machine-orch-rs", "orch-rs", new FixedInventorySource("orch-rs"),
                children: [new SandboxChild("svc-1", "running"), new SandboxChild("svc-2", "running")], comesBackAfterPowerAction: false);
            await Eventually.Until(() => agent.Agent.IsAccepted, "agent accepted");
            hostId = agent.Agent.HostId!.Value;
            using var api = first.Api();
            await Eventually.Until(async () => (await api.GetFromJsonAsync<JsonElement>($"/api/host/{hostId}/reboot/pre-check")).GetProperty("running_count").GetInt32(),
                count => count == 2, "the children reported");
            var response = await api.PostAsync($"/api/host/{hostId}/reboot/orchestrated", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            orchestrationId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orchestration_id").GetString()!;
            await Eventually.Until(async () => (await api.GetFromJsonAsync<JsonElement>($"/api/host/{hostId}/reboot/orchestration/{orchestrationId}")).GetProperty("status").GetString(),
                status => status == "waiting_for_agent", "the reboot to be issued");
            await Eventually.Until(() => agent.Run.IsCompleted, "the agent to go down with the reboot");
        }
        Assert.All(new SandboxChildHostProvider(Path.Combine(directory, "agents", "machine-orch-rs")).Current(), c => Assert.Equal("stopped", c.Status));

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var second = new FleetServer(settings, directory);
        second.StartAgent("machine-orch-rs", "orch-rs", new FixedInventorySource("orch-rs"), enrollmentToken: null,
            identity: new Fleet.Agent.FileIdentityStore(second.AgentStateDir("machine-orch-rs")), children: []);
        using var again = second.Api();
        var done = await Eventually.Until(
            () => again.GetFromJsonAsync<JsonElement>($"/api/host/{hostId}/reboot/orchestration/{orchestrationId}"),
            body => body.GetProperty("status").GetString() is "completed" or "failed", "the orchestration to end after the restart", TimeSpan.FromSeconds(40));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.NotNull(done.GetProperty("agent_reconnected_at").GetString());
        Assert.NotNull(done.GetProperty("restart_completed_at").GetString());
        Assert.All(done.GetProperty("child_hosts_restart_status").EnumerateArray(), c => Assert.Equal("running", c.GetProperty("restart_status").GetString()));
        Assert.All(new SandboxChildHostProvider(second.AgentStateDir("machine-orch-rs")).Current(), c => Assert.Equal("running", c.Status));
        Directory.Delete(directory, recursive: true);
    }
}
