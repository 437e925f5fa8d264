using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api;

/// <summary>Seed 004: every call in the {code, message, content} envelope, the transition rules, and commands on real agents.</summary>
public sealed class StageRunsApiTests : IClassFixture<StageRunsApiTests.Fixture>
{
    public sealed class Fixture() : ServerWithAgents("stage-01");

    private readonly Fixture _fixture;
    private readonly HttpClient _api;

    public StageRunsApiTests(Fixture fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    /// <summary>A stage run whose invocation is scheduled far ahead, so nothing moves its runs but the test.</summary>
    private async Task<Guid> ScheduledStageAsync()
    {
        var id = await _fixture.Server.Get<IInvocationService>().CreateAsync(new NewJob
        {
            AdHocCommand = "echo staged",
            SearchQuery = "name = stage-01",
            StartAt = DateTimeOffset.UtcNow.AddDays(1),
        }, "tester");
        await using var db = _fixture.Server.Db();
        return await db.StageRuns.Where(s => s.InvocationId == id).Select(s => s.Id).SingleAsync();
    }

    private static JsonElement Content(JsonElement envelope)
    {
        Assert.Equal(0, envelope.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.String, envelope.GetProperty("message").ValueKind);
        return envelope.GetProperty("content");
    }

    private async Task<JsonElement> FirstRunAsync(Guid stage) =>
        Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}/targetruns")).GetProperty("results")[0];

    [Fact]
    public async Task ListTargetRuns_ReturnsTheEnvelopeAndFilters()
    {
        var stage = await ScheduledStageAsync();
        var content = Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}/targetruns?status=pending&ordering=-status"));
        Assert.Equal(1, content.GetProperty("count").GetInt32());
        var run = content.GetProperty("results")[0];
        foreach (var field in new[] { "id", "stage_run_id", "target_id", "device_name", "device_alias", "status", "command_id", "created_at", "updated_at" })
            Assert.True(run.TryGetProperty(field, out _), field);
        Assert.Equal("pending", run.GetProperty("status").GetString());
        Assert.Equal(_fixture.HostId, run.GetProperty("target_id").GetGuid());
        var none = Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}/targetruns?status=running"));
        Assert.Equal(0, none.GetProperty("count").GetInt32());
        var bad = await _api.GetAsync($"/v0/stageruns/{stage}/targetruns?status=sideways");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(400, (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task UpdateTargetRun_IllegalTransition_Returns400InTheEnvelope()
    {
        var stage = await ScheduledStageAsync();
        var run = await FirstRunAsync(stage);
        var response = await _api.PutAsJsonAsync($"/v0/stageruns/{stage}/targetruns/{run.GetProperty("id").GetGuid()}", new { status = "success" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.Contains("pending to success", body.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("content").ValueKind);
    }

    [Fact]
    public async Task UpdateTargetRun_CancelFromPending_IsAllowedButNotOnceFinished()
    {
        var stage = await ScheduledStageAsync();
        var id = (await FirstRunAsync(stage)).GetProperty("id").GetGuid();
        var cancel = await _api.PutAsJsonAsync($"/v0/stageruns/{stage}/targetruns/{id}", new { status = "cancelled", device_name = "renamed" });
        var content = Content(await cancel.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal("cancelled", content.GetProperty("status").GetString());
        Assert.Equal("renamed", content.GetProperty("device_name").GetString());
        var again = await _api.PutAsJsonAsync($"/v0/stageruns/{stage}/targetruns/{id}", new { status = "queued" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task CreateCommand_RunsOnTheAgentAndTheRunFollowsIt()
    {
        var stage = await ScheduledStageAsync();
        var id = (await FirstRunAsync(stage)).GetProperty("id").GetGuid();
        var created = Content(await (await _api.PostAsJsonAsync($"/v0/stageruns/{stage}/targetruns/{id}/command", new { })).Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal("queued", created.GetProperty("status").GetString());
        var commandId = created.GetProperty("id").GetGuid();
        var done = await Eventually.Until(async () => Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}/targetruns/{id}/command")),
            c => c.GetProperty("status").GetString() == "success", "the command to succeed");
        Assert.Equal(commandId, done.GetProperty("id").GetGuid());
        Assert.Equal(0, done.GetProperty("exit_code").GetInt32());
        var run = Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}/targetruns/{id}"));
        Assert.Equal("success", run.GetProperty("status").GetString());
        Assert.Contains(run.GetProperty("history").EnumerateArray(), h => h.GetProperty("to").GetString() == "complete");
        var second = await _api.PostAsJsonAsync($"/v0/stageruns/{stage}/targetruns/{id}/command", new { });
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task CancelCommand_OfARunningCommand_EndsTheRunAsFailure()
    {
        var stage = await ScheduledStageAsync();
        var id = (await FirstRunAsync(stage)).GetProperty("id").GetGuid();
        var created = Content(await (await _api.PostAsJsonAsync($"/v0/stageruns/{stage}/targetruns/{id}/command", new { script = "sleep 30" })).Content.ReadFromJsonAsync<JsonElement>());
        var commandId = created.GetProperty("id").GetGuid();
        await Eventually.Until(async () => Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}/targetruns/{id}")),
            r => r.GetProperty("status").GetString() == "running", "the run to be running");
        var cancel = await _api.PutAsJsonAsync($"/v0/stageruns/{stage}/targetruns/{id}/command/{commandId}", new { request_status = "cancelled" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var run = await Eventually.Until(async () => Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}/targetruns/{id}")),
            r => r.GetProperty("status").GetString() == "failure", "the run to fail after the cancel");
        var command = Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}/targetruns/{id}/command"));
        Assert.Equal("cancelled", command.GetProperty("status").GetString());
        Assert.NotNull(run.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task CreateTargetRun_AddsAHostAndRejectsBadInput()
    {
        var stage = await ScheduledStageAsync();
        var host = await _fixture.Server.StartAcceptedAgentAsync("stage-02");
        var response = await _api.PostAsJsonAsync($"/v0/stageruns/{stage}/targetruns", new { target_id = host.Agent.HostId, device_name = "edge", device_alias = "e1" });
        var content = Content(await response.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(JsonValueKind.Array, content.ValueKind);
        Assert.Equal("e1", content[0].GetProperty("device_alias").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsJsonAsync($"/v0/stageruns/{stage}/targetruns", new { target_id = "not-a-uuid" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsJsonAsync($"/v0/stageruns/{stage}/targetruns", new { target_id = host.Agent.HostId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsJsonAsync($"/v0/stageruns/{Guid.NewGuid()}/targetruns", new { target_id = host.Agent.HostId })).StatusCode);
    }

    [Fact]
    public async Task StageRuns_ListAndDetailCarryCountsPerStatus()
    {
        var stage = await ScheduledStageAsync();
        var detail = Content(await _api.GetFromJsonAsync<JsonElement>($"/v0/stageruns/{stage}"));
        Assert.Equal(1, detail.GetProperty("total").GetInt32());
        Assert.Equal(1, detail.GetProperty("counts").GetProperty("pending").GetInt32());
        Assert.Equal(0, detail.GetProperty("counts").GetProperty("success").GetInt32());
        var list = Content(await _api.GetFromJsonAsync<JsonElement>("/v0/stageruns"));
        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("id").GetGuid() == stage);
    }

    [Fact]
    public async Task WithoutToken_Returns401InTheEnvelope()
    {
        using var anonymous = _fixture.Server.Api(token: null);
        var response = await anonymous.GetAsync("/v0/stageruns");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, body.GetProperty("code").GetInt32());
        Assert.True(body.TryGetProperty("content", out _));
    }
}
