using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Execution;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api;

/// <summary>Seed 001's host operations against real agents (power actions through the sandbox provider).</summary>
public sealed class HostCommandsApiTests : IClassFixture<HostCommandsApiTests.Fixture>
{
    public sealed class Fixture() : ServerWithAgents("cmd-01", "cmd-02");

    private readonly ServerWithAgents _fixture;
    private readonly HttpClient _api;

    public HostCommandsApiTests(Fixture fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    [Fact]
    public async Task Command_RunsOnTheHostAndAnswersWithItsOutput()
    {
        var response = await _api.PostAsJsonAsync("/api/v1/fleet/agent/cmd-01/command", new { command = "echo out; echo err >&2; exit 4", timeout = 30 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        foreach (var field in new[] { "execution_id", "status", "stdout", "stderr", "exit_code", "execution_time" }) Assert.True(body.TryGetProperty(field, out _), field);
        Assert.Equal("executed", body.GetProperty("status").GetString());
        Assert.Equal("out\n", body.GetProperty("stdout").GetString());
        Assert.Equal("err\n", body.GetProperty("stderr").GetString());
        Assert.Equal(4, body.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("execution_time").ValueKind);
    }

    [Fact]
    public async Task Command_UnknownHost_Returns404()
    {
        var response = await _api.PostAsJsonAsync("/api/v1/fleet/agent/nobody-here/command", new { command = "true" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"command\": \"true\", \"timeout\": 0}")]
    [InlineData("{\"command\": 5}")]
    public async Task Command_BadBody_Returns422(string json)
    {
        var response = await _api.PostAsync("/api/v1/fleet/agent/cmd-01/command", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Broadcast_ReturnsOneResultPerHostAndMarksUnknownOnes()
    {
        var response = await _api.PostAsJsonAsync("/api/v1/fleet/broadcast/command",
            new { command = "echo hello", hostnames = new[] { "cmd-01", "cmd-02", "ghost-99" }, timeout = 30, parallel = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        foreach (var field in new[] { "batch_id", "total_hosts", "results" }) Assert.True(body.TryGetProperty(field, out _), field);
        Assert.Equal(3, body.GetProperty("total_hosts").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("hostname").GetString()!);
        Assert.Equal("completed", results["cmd-01"].GetProperty("status").GetString());
        Assert.Equal("hello\n", results["cmd-02"].GetProperty("stdout").GetString());
        Assert.Equal(0, results["cmd-02"].GetProperty("exit_code").GetInt32());
        Assert.Equal("not_found", results["ghost-99"].GetProperty("status").GetString());
        foreach (var field in new[] { "hostname", "status", "exit_code", "stdout", "execution_time" }) Assert.True(results["cmd-01"].TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task Reboot_GoesThroughThePowerProviderAndTheAgentComesBack()
    {
        var hostId = _fixture.First.Agent.HostId!.Value;
        var response = await _api.PostAsJsonAsync($"/api/v1/host/reboot/{hostId}", new { force = false, delay_seconds = 0, message = "maintenance" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Reboot command sent successfully", body.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("scheduled_time").ValueKind);
        Assert.Equal(JsonValueKind.String, body.GetProperty("execution_id").ValueKind);
        await Eventually.Until(() => _fixture.Server.PowerRequests.Any(p => p.Hostname == "cmd-01" && p.Action == PowerAction.Reboot), "the sandbox reboot");
        await Eventually.Until(() => _fixture.First.Agent.IsAccepted, "the agent to reconnect after the reboot");
    }

    [Fact]
    public async Task Shutdown_UnknownHost_Returns404_AndBadDelay_Returns422()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsJsonAsync($"/api/v1/host/shutdown/{Guid.NewGuid()}", new { delay_seconds = 5 })).StatusCode);
        var hostId = _fixture.First.Agent.HostId!.Value;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.PostAsJsonAsync($"/api/v1/host/shutdown/{hostId}", new { delay_seconds = -5 })).StatusCode);
    }

    [Fact]
    public async Task CommandAndPower_OnAnUnapprovedHost_Return409AndSendNothing()
    {
        var pendingId = Guid.NewGuid();
        await using (var db = _fixture.Server.Db())
        {
            db.Hosts.Add(new Fleet.Domain.Hosts.ManagedHost(pendingId, "machine-cmd-pending", "cmd-pending", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        var command = await _api.PostAsJsonAsync("/api/v1/fleet/agent/cmd-pending/command", new { command = "true" });
        Assert.Equal(HttpStatusCode.Conflict, command.StatusCode);
        Assert.Contains("not approved", (await command.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var shutdown = await _api.PostAsJsonAsync($"/api/v1/host/shutdown/{pendingId}", new { delay_seconds = 0 });
        Assert.Equal(HttpStatusCode.Conflict, shutdown.StatusCode);
        Assert.Contains("not approved", (await shutdown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        await using var read = _fixture.Server.Db();
        Assert.False(await read.TargetRuns.AnyAsync(r => r.HostId == pendingId));
    }

    [Fact]
    public async Task Power_MessageTooLong_Returns422NamingTheField()
    {
        var response = await _api.PostAsJsonAsync($"/api/v1/host/reboot/{_fixture.HostId}", new { message = new string('m', 501) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail")[0];
        Assert.Equal(["body", "message"], detail.GetProperty("loc").EnumerateArray().Select(l => l.GetString()));
    }
}
