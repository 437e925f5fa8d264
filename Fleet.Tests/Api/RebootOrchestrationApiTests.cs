using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Children;
using Fleet.Agent.Execution;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api;

/// <summary>Seed 001's reboot pre-check and orchestrated reboot, against real agents with sandbox power and child providers.</summary>
public sealed class RebootOrchestrationApiTests : IClassFixture<RebootOrchestrationApiTests.ServerWithParents>
{
    public sealed class ServerWithParents() : ServerWithAgents(new Dictionary<string, string?>
    {
        ["Fleet:Orchestration:ReconnectTimeoutSeconds"] = "20",
        ["Fleet:Orchestration:ShutdownTimeoutSeconds"] = "30",
    }, "orch-ok", "orch-failchild", "orch-gone", "orch-idle", "orch-twice", "orch-refused", "orch-sameboot", "orch-off")
    {
        protected override Task<RunningAgent> StartAgentAsync(string hostname) => hostname switch
        {
            "orch-ok" => StartParentAsync(hostname, [new("web-1", "running"), new("db-1", "running"), new("old-1", "stopped")]),
            "orch-failchild" => StartParentAsync(hostname, [new("app-1", "running"), new("bad-1", "running", FailStart: true)]),
            "orch-gone" => StartParentAsync(hostname, [new("c-1", "running")], comesBack: false),
            "orch-idle" => StartParentAsync(hostname, [new("idle-1", "stopped")]),
            "orch-twice" => StartParentAsync(hostname, [new("twice-1", "running")]),
            "orch-refused" => StartParentAsync(hostname, [new("kept-1", "running")], power: new RefusingPowerProvider()),
            "orch-sameboot" => StartParentAsync(hostname, [new("same-1", "running")], newBoot: false),
            _ => StartParentAsync(hostname, [new("off-1", "running")]),
        };

        protected override async Task AfterAgentsStartedAsync()
        {
            await Agents["orch-off"].StopAsync();
            await Eventually.Until(async () =>
            {
                await using var db = Server.Db();
                return await db.Hosts.AnyAsync(h => h.Hostname == "orch-off" && h.Connectivity == Fleet.Domain.Hosts.HostConnectivity.Offline);
            }, offline => offline, "orch-off offline");
        }

        private async Task<RunningAgent> StartParentAsync(string hostname, IReadOnlyList<SandboxChild> children, bool comesBack = true, IPowerProvider? power = null,
            bool newBoot = true)
        {
            var agent = Server.StartAgent("machine-" + hostname, hostname, new FixedInventorySource(hostname), children: children, comesBackAfterPowerAction: comesBack,
                powerProvider: power, rebootChangesBootId: newBoot);
            await Eventually.Until(() => agent.Agent.IsAccepted, $"agent {hostname} accepted");
            var hostId = agent.Agent.HostId!.Value;
            await Eventually.Until(async () =>
            {
                await using var db = Server.Db();
                return await db.ChildHosts.CountAsync(c => c.ParentHostId == hostId);
            }, count => count == children.Count, $"the children of {hostname} reported");
            return agent;
        }
    }

    /// <summary>A host whose init refuses the reboot (as systemctl does without the right to reboot).</summary>
    private sealed class RefusingPowerProvider : IPowerProvider
    {
        public Task RequestAsync(PowerAction action, TimeSpan delay, string? message, bool force) =>
            throw new InvalidOperationException("Failed to reboot: access denied (sandbox: refused)");
    }

    private static readonly string[] OrchestrationFields =
    [
        "orchestration_id", "parent_host_id", "status", "child_hosts_snapshot", "child_hosts_restart_status", "shutdown_timeout_seconds",
        "initiated_by", "initiated_at", "shutdown_completed_at", "reboot_issued_at", "agent_reconnected_at", "restart_completed_at", "error_message",
    ];

    private readonly ServerWithParents _fixture;
    private readonly HttpClient _api;

    public RebootOrchestrationApiTests(ServerWithParents fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    [Fact]
    public async Task PreCheck_ListsTheRunningChildrenAndCounts()
    {
        var body = await GetJsonAsync($"/api/host/{_fixture.HostIds["orch-idle"]}/reboot/pre-check");
        Assert.Equal(["has_running_children", "running_children", "running_count", "total_children", "has_container_engine"], body.EnumerateObject().Select(p => p.Name));
        Assert.False(body.GetProperty("has_running_children").GetBoolean());
        Assert.Equal(0, body.GetProperty("running_count").GetInt32());
        Assert.Equal(1, body.GetProperty("total_children").GetInt32());
        Assert.True(body.GetProperty("has_container_engine").GetBoolean());

        body = await GetJsonAsync($"/api/host/{_fixture.HostIds["orch-failchild"]}/reboot/pre-check");
        Assert.True(body.GetProperty("has_running_children").GetBoolean());
        Assert.Equal(2, body.GetProperty("running_count").GetInt32());
        var child = body.GetProperty("running_children").EnumerateArray().First();
        Assert.Equal(["id", "child_name", "child_type", "status"], child.EnumerateObject().Select(p => p.Name));
        Assert.Equal("app-1", child.GetProperty("child_name").GetString());
        Assert.Equal("sandbox", child.GetProperty("child_type").GetString());
        Assert.Equal("running", child.GetProperty("status").GetString());
        Assert.True(Guid.TryParse(child.GetProperty("id").GetString(), out _));
    }

    [Fact]
    public async Task Orchestrated_StopsRebootsAndRestartsTheChildren_AndSetsEveryTimestamp()
    {
        var hostId = _fixture.HostIds["orch-ok"];
        var response = await _api.PostAsync($"/api/host/{hostId}/reboot/orchestrated", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var started = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["orchestration_id", "status", "child_count"], started.EnumerateObject().Select(p => p.Name));
        Assert.Equal("shutting_down", started.GetProperty("status").GetString());
        Assert.Equal(2, started.GetProperty("child_count").GetInt32());
        var id = started.GetProperty("orchestration_id").GetString();

        var done = await WaitForEndAsync(hostId, id!);
        Assert.Equal(OrchestrationFields, done.EnumerateObject().Select(p => p.Name));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(hostId.ToString(), done.GetProperty("parent_host_id").GetString());
        Assert.Equal(30, done.GetProperty("shutdown_timeout_seconds").GetInt32());
        Assert.Equal("bootstrap admin token", done.GetProperty("initiated_by").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error_message").ValueKind);
        var stamps = new[] { "initiated_at", "shutdown_completed_at", "reboot_issued_at", "agent_reconnected_at", "restart_completed_at" }
            .Select(f => DateTimeOffset.Parse(done.GetProperty(f).GetString()!)).ToList();
        Assert.Equal(stamps.Order(), stamps);

        var snapshot = done.GetProperty("child_hosts_snapshot").EnumerateArray().ToList();
        Assert.Equal(["db-1", "web-1"], snapshot.Select(c => c.GetProperty("child_name").GetString()));
        Assert.All(snapshot, c => Assert.Equal("running", c.GetProperty("pre_reboot_status").GetString()));
        Assert.Equal(["id", "child_name", "child_type", "pre_reboot_status"], snapshot[0].EnumerateObject().Select(p => p.Name));
        var restarts = done.GetProperty("child_hosts_restart_status").EnumerateArray().ToList();
        Assert.Equal(["id", "child_name", "restart_status", "error"], restarts[0].EnumerateObject().Select(p => p.Name));
        Assert.All(restarts, c =>
        {
            Assert.Equal("running", c.GetProperty("restart_status").GetString());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("error").ValueKind);
        });

        // The children really run again, the one that was stopped stays stopped, and the parent really rebooted.
        var state = new SandboxChildHostProvider(_fixture.Server.AgentStateDir("machine-orch-ok")).Current().ToDictionary(c => c.Name, c => c.Status);
        Assert.Equal("running", state["web-1"]);
        Assert.Equal("running", state["db-1"]);
        Assert.Equal("stopped", state["old-1"]);
        lock (_fixture.Server.PowerRequests) Assert.Contains(_fixture.Server.PowerRequests, p => p.Hostname == "orch-ok" && p.Action == PowerAction.Reboot);

        // Every step was ordinary work on the engine.
        await using var db = _fixture.Server.Db();
        var steps = await db.Invocations.AsNoTracking().Where(i => i.Origin == InvocationOrigin.Orchestration)
            .Join(db.TargetRuns.Where(r => r.HostId == hostId), i => i.Id, r => r.InvocationId, (i, r) => new { i.CommandKind, r.Status }).ToListAsync();
        Assert.Equal(2, steps.Count(s => s.CommandKind == CommandKind.ChildStop && s.Status == TargetRunStatus.Success));
        Assert.Equal(1, steps.Count(s => s.CommandKind == CommandKind.Reboot && s.Status == TargetRunStatus.Success));
        Assert.Equal(2, steps.Count(s => s.CommandKind == CommandKind.ChildStart && s.Status == TargetRunStatus.Success));
    }

    [Fact]
    public async Task Orchestrated_AChildThatFailsToStart_CompletesWithThatChildsError_AndASummaryNamingIt()
    {
        var hostId = _fixture.HostIds["orch-failchild"];
        var id = await StartAsync(hostId);
        var done = await WaitForEndAsync(hostId, id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var restarts = done.GetProperty("child_hosts_restart_status").EnumerateArray().ToDictionary(c => c.GetProperty("child_name").GetString()!);
        Assert.Equal("running", restarts["app-1"].GetProperty("restart_status").GetString());
        Assert.Equal("failed", restarts["bad-1"].GetProperty("restart_status").GetString());
        Assert.Contains("failed to start", restarts["bad-1"].GetProperty("error").GetString());
        Assert.NotNull(done.GetProperty("restart_completed_at").GetString());
        Assert.Equal("1 of 2 child hosts failed to start: bad-1.", done.GetProperty("error_message").GetString());
    }

    [Fact]
    public async Task Orchestrated_AgentNeverComesBack_FailsWithAnErrorAfterTheDeadline()
    {
        var hostId = _fixture.HostIds["orch-gone"];
        var id = await StartAsync(hostId);
        var done = await WaitForEndAsync(hostId, id);
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("did not reconnect within 20 s", done.GetProperty("error_message").GetString());
        Assert.NotNull(done.GetProperty("reboot_issued_at").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("agent_reconnected_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("restart_completed_at").ValueKind);
        Assert.All(done.GetProperty("child_hosts_restart_status").EnumerateArray(), c => Assert.Equal("pending", c.GetProperty("restart_status").GetString()));
    }

    [Fact]
    public async Task Orchestrated_NoRunningChildren_Returns400()
    {
        var response = await _api.PostAsync($"/api/host/{_fixture.HostIds["orch-idle"]}/reboot/orchestrated", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No running child hosts", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Orchestrated_HostNotActive_Returns400()
    {
        var response = await _api.PostAsync($"/api/host/{_fixture.HostIds["orch-off"]}/reboot/orchestrated", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not active", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownHostOrOrchestration_Returns404_AndMalformedIds422()
    {
        var nobody = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/host/{nobody}/reboot/pre-check")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/host/{nobody}/reboot/orchestrated", null)).StatusCode);
        var missing = await _api.GetAsync($"/api/host/{_fixture.HostIds["orch-idle"]}/reboot/orchestration/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(JsonValueKind.String, (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").ValueKind);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.GetAsync("/api/host/not-a-uuid/reboot/pre-check")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.PostAsync("/api/host/not-a-uuid/reboot/orchestrated", null)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.GetAsync($"/api/host/{nobody}/reboot/orchestration/%27%3B--")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _fixture.Server.Api(token: null).GetAsync($"/api/host/{nobody}/reboot/pre-check")).StatusCode);
    }

    private async Task<string> StartAsync(Guid hostId)
    {
        var response = await _api.PostAsync($"/api/host/{hostId}/reboot/orchestrated", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orchestration_id").GetString()!;
    }

    [Fact]
    public async Task Orchestrated_TwoRequestsAtOnce_StartOneOrchestration_AndAPlainRebootWaitsForIt()
    {
        var hostId = _fixture.HostIds["orch-twice"];
        var responses = await Task.WhenAll(
            _api.PostAsync($"/api/host/{hostId}/reboot/orchestrated", null),
            _api.PostAsync($"/api/host/{hostId}/reboot/orchestrated", null));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest], responses.Select(r => r.StatusCode).Order());
        var id = (await responses.Single(r => r.IsSuccessStatusCode).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orchestration_id").GetString()!;
        var plain = await _api.PostAsJsonAsync($"/api/v1/host/reboot/{hostId}", new { force = false, delay_seconds = 0 });
        Assert.Equal(HttpStatusCode.Conflict, plain.StatusCode);
        Assert.Contains("under way", (await plain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var done = await WaitForEndAsync(hostId, id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        lock (_fixture.Server.PowerRequests) Assert.Single(_fixture.Server.PowerRequests, p => p.Hostname == "orch-twice");
    }

    [Fact]
    public async Task Orchestrated_RebootRefusedByTheHost_StartsTheChildrenAgain_ThenFails()
    {
        var hostId = _fixture.HostIds["orch-refused"];
        var id = await StartAsync(hostId);

        var done = await WaitForEndAsync(hostId, id);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("access denied", done.GetProperty("error_message").GetString());
        Assert.Contains("started again", done.GetProperty("error_message").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("agent_reconnected_at").ValueKind);
        Assert.All(done.GetProperty("child_hosts_restart_status").EnumerateArray(), c => Assert.Equal("running", c.GetProperty("restart_status").GetString()));
        Assert.Equal("running", new SandboxChildHostProvider(_fixture.Server.AgentStateDir("machine-orch-refused")).Current().Single().Status);
    }

    [Fact]
    public async Task Orchestrated_AgentReconnectsWithoutTheHostRestarting_IsNotTakenForTheReboot()
    {
        var hostId = _fixture.HostIds["orch-sameboot"];
        var id = await StartAsync(hostId);

        var done = await WaitForEndAsync(hostId, id);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("did not restart (same boot id)", done.GetProperty("error_message").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("agent_reconnected_at").ValueKind);
        Assert.Equal("stopped", new SandboxChildHostProvider(_fixture.Server.AgentStateDir("machine-orch-sameboot")).Current().Single().Status);
        lock (_fixture.Server.PowerRequests) Assert.Contains(_fixture.Server.PowerRequests, p => p.Hostname == "orch-sameboot");
    }

    [Fact]
    public async Task Orchestrated_ByAViewer_Returns403AndStopsNothing()
    {
        var created = await _fixture.Server.Get<Fleet.Web.Security.IAccountAdmin>().CreateTokenAsync("orch-viewer", Fleet.Domain.Security.Roles.Viewer);
        using var viewer = _fixture.Server.Api(created.Secret);
        var hostId = _fixture.HostIds["orch-idle"];

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/host/{hostId}/reboot/pre-check")).StatusCode);
        var response = await viewer.PostAsync($"/api/host/{hostId}/reboot/orchestrated", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("detail", out _));
        await using var db = _fixture.Server.Db();
        Assert.False(await db.RebootOrchestrations.AnyAsync(o => o.ParentHostId == hostId));
    }

    private Task<JsonElement> WaitForEndAsync(Guid hostId, string orchestrationId) =>
        Eventually.Until(() => GetJsonAsync($"/api/host/{hostId}/reboot/orchestration/{orchestrationId}"),
            body => body.GetProperty("status").GetString() is "completed" or "failed", "the orchestration to end", TimeSpan.FromSeconds(45));

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await _api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

public sealed class RebootOrchestrationLicenceTests
{
    [Fact]
    public async Task Orchestrated_CommunityTier_Returns402_ButThePreCheckStillAnswers()
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:License:Tier"] = "Community" });
        var agent = server.StartAgent("machine-lic-01", "lic-01", new FixedInventorySource("lic-01"), children: [new SandboxChild("ct-1", "running")]);
        await Eventually.Until(() => agent.Agent.IsAccepted, "agent accepted");
        var hostId = agent.Agent.HostId!.Value;
        using var api = server.Api();
        await Eventually.Until(async () => (await api.GetFromJsonAsync<JsonElement>($"/api/host/{hostId}/reboot/pre-check")).GetProperty("running_count").GetInt32(),
            count => count == 1, "the child reported");

        var response = await api.PostAsync($"/api/host/{hostId}/reboot/orchestrated", null);
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Contains("Professional", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal("running", new SandboxChildHostProvider(server.AgentStateDir("machine-lic-01")).Current().Single().Status);
    }
}
