using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Api;

/// <summary>Seed 002 (Foreman job invocations): every call, its status codes, field names and types, against real agents.</summary>
public sealed class JobInvocationsApiTests : IClassFixture<JobInvocationsApiTests.Fixture>
{
    public sealed class Fixture() : ServerWithAgents("api-web-01", "api-web-02");

    private readonly ServerWithAgents _fixture;
    private readonly HttpClient _api;

    public JobInvocationsApiTests(Fixture fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    private async Task<long> TemplateIdAsync(string name)
    {
        await using var db = _fixture.Server.Db();
        return db.JobTemplates.Single(t => t.Name == name).Id;
    }

    private async Task<JsonElement> CreateAsync(object jobInvocation, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await _api.PostAsJsonAsync("/api/job_invocations", new { job_invocation = jobInvocation });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return body;
    }

    private async Task<JsonElement> WaitDoneAsync(long id) =>
        await Eventually.Until(() => _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}"),
            b => b.GetProperty("dynflow_task").GetProperty("state").GetString() == "stopped", $"invocation {id} to stop");

    private static readonly string[] SummaryFields =
    [
        "id", "description", "job_category", "targeting_id", "status", "start_at", "status_label", "ssh_user", "time_to_pickup",
        "concurrency_level", "execution_timeout_interval", "dynflow_task", "template_id", "template_name", "effective_user",
        "succeeded", "failed", "pending", "cancelled", "total", "missing", "total_hosts",
    ];

    [Fact]
    public async Task Create_WithTemplateAndStaticQuery_Returns201WithTheSeedFields()
    {
        var body = await CreateAsync(new
        {
            job_template_id = await TemplateIdAsync("Run Command - Script Default"),
            targeting_type = "static_query",
            search_query = "name = api-web-01",
            inputs = new { command = "echo hi" },
            concurrency_control = new { concurrency_level = 5 },
            execution_timeout_interval = 60,
        });
        foreach (var field in SummaryFields.Concat(["targeting", "task", "mode", "pattern_template_invocations", "job_organization", "job_location"]))
            Assert.True(body.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal(JsonValueKind.Number, body.GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("status").ValueKind);
        Assert.Equal("immediate", body.GetProperty("mode").GetString());
        Assert.Equal(5, body.GetProperty("concurrency_level").GetInt32());
        Assert.Equal("static_query", body.GetProperty("targeting").GetProperty("targeting_type").GetString());
        Assert.Equal("api-web-01", body.GetProperty("targeting").GetProperty("hosts")[0].GetProperty("name").GetString());
        var done = await WaitDoneAsync(body.GetProperty("id").GetInt64());
        Assert.Equal(0, done.GetProperty("status").GetInt32());
        Assert.Equal("succeeded", done.GetProperty("status_label").GetString());
        Assert.Equal(1, done.GetProperty("succeeded").GetInt32());
    }

    [Fact]
    public async Task Create_Recurring_ReturnsRecurrenceAndQueuedStatus()
    {
        var body = await CreateAsync(new
        {
            feature = "run_script",
            targeting_type = "dynamic_query",
            search_query = "name ~ api-web",
            inputs = new { command = "uptime" },
            recurrence = new { cron_line = "5 * * * *", max_iteration = 3, purpose = "nightly" },
        });
        Assert.Equal("recurring", body.GetProperty("mode").GetString());
        Assert.Equal(2, body.GetProperty("status").GetInt32());
        Assert.Equal("queued", body.GetProperty("status_label").GetString());
        Assert.Equal("scheduled", body.GetProperty("dynflow_task").GetProperty("state").GetString());
        var recurrence = body.GetProperty("recurrence");
        foreach (var field in new[] { "id", "cron_line", "end_time", "iteration", "task_group_id", "state", "max_iteration", "purpose", "task_count", "action", "last_occurence", "next_occurence" })
            Assert.True(recurrence.TryGetProperty(field, out _), $"missing recurrence.{field}");
        Assert.Equal("5 * * * *", recurrence.GetProperty("cron_line").GetString());
        Assert.Equal("active", recurrence.GetProperty("state").GetString());
        Assert.EndsWith(":05:00 UTC", recurrence.GetProperty("next_occurence").GetString());
        Assert.Equal("N/A", body.GetProperty("total").GetString());
    }

    [Theory]
    [InlineData("{\"job_invocation\": {\"targeting_type\": \"static_query\", \"search_query\": \"name ~ api\"}}", "job_template_id")]
    [InlineData("{\"job_invocation\": {\"feature\": \"run_script\", \"targeting_type\": \"sideways\", \"search_query\": \"x\"}}", "targeting_type")]
    [InlineData("{\"job_invocation\": {\"feature\": \"run_script\", \"targeting_type\": \"static_query\", \"search_query\": \"name ~ api\", \"inputs\": {\"command\": \"true\"}, \"recurrence\": {\"cron_line\": \"not a cron\"}}}", "base")]
    [InlineData("{\"job_invocation\": {\"feature\": \"run_script\", \"targeting_type\": \"static_query\", \"search_query\": \"name ~ api\"}}", "base")]
    [InlineData("{\"job_invocation\": {\"feature\": \"no_such_feature\", \"targeting_type\": \"static_query\", \"search_query\": \"name ~ api\"}}", "feature")]
    [InlineData("{\"job_invocation\": {\"feature\": \"run_script\", \"targeting_type\": \"static_query\", \"search_query\": \"name ~ api\", \"concurrency_control\": {\"concurrency_level\": -1}}}", "concurrency_control[concurrency_level]")]
    [InlineData("{\"job_invocation\": {\"feature\": \"run_script\", \"targeting_type\": \"static_query\", \"search_query\": \"name ~ api\", \"inputs\": {\"command\": \"true\"}, \"concurrency_control\": {\"waves\": \"rest, 1\"}}}", "concurrency_control[waves]")]
    [InlineData("{\"job_invocation\": {\"feature\": \"run_script\", \"targeting_type\": \"static_query\", \"search_query\": \"name ~ api\", \"inputs\": {\"command\": \"true\"}, \"concurrency_control\": {\"failure_threshold\": \"lots\"}}}", "concurrency_control[failure_threshold]")]
    [InlineData("{\"job_invocation\": {\"feature\": \"run_script\", \"targeting_type\": \"static_query\", \"search_query\": \"name ~ api\", \"inputs\": {\"command\": \"true\"}, \"concurrency_control\": {\"wave_pause\": -5}}}", "concurrency_control[wave_pause]")]
    [InlineData("{\"nope\": 1}", "job_invocation")]
    [InlineData("{broken", "job_invocation")]
    public async Task Create_InvalidInput_Returns422WithFieldMessagesAndWritesNothing(string json, string field)
    {
        await using var db = _fixture.Server.Db();
        var before = db.Invocations.Count();
        var response = await _api.PostAsync("/api/job_invocations", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.True(error.GetProperty("errors").TryGetProperty(field, out var messages), error.ToString());
        Assert.True(messages.GetArrayLength() > 0);
        Assert.True(error.GetProperty("full_messages").GetArrayLength() > 0);
        Assert.Equal(before, db.Invocations.Count());
    }

    [Fact]
    public async Task Create_WithWaves_RunsOneStageRunPerWaveVisibleInSeed004()
    {
        var created = await CreateAsync(new
        {
            feature = "run_script",
            targeting_type = "static_query",
            search_query = "name ~ api-web",
            inputs = new { command = "true" },
            concurrency_control = new { waves = "1, rest", failure_threshold = 1 },
        });
        var id = created.GetProperty("id").GetInt64();
        var done = await WaitDoneAsync(id);
        Assert.Equal("succeeded", done.GetProperty("status_label").GetString());

        var stages = (await _api.GetFromJsonAsync<JsonElement>("/v0/stageruns")).GetProperty("content").EnumerateArray()
            .Where(s => s.GetProperty("invocation_id").GetInt64() == id).OrderBy(s => s.GetProperty("index").GetInt32()).ToList();
        Assert.Equal(2, stages.Count);
        Assert.All(stages, s =>
        {
            Assert.Equal("completed", s.GetProperty("state").GetString());
            Assert.Equal(1, s.GetProperty("size").GetInt32());
            Assert.Equal(1, s.GetProperty("counts").GetProperty("success").GetInt32());
        });
        Assert.True(stages[1].GetProperty("started_at").GetDateTimeOffset() >= stages[0].GetProperty("ended_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task List_ReturnsTheEnvelopeWithSearchAndSort()
    {
        var created = await CreateAsync(new { feature = "run_script", targeting_type = "static_query", search_query = "name = api-web-02", inputs = new { command = "true" } });
        var id = created.GetProperty("id").GetInt64();
        var body = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations?search=id+%3D+{id}&order=id+DESC&per_page=5&page=1");
        foreach (var field in new[] { "total", "subtotal", "page", "per_page", "search", "sort", "results" }) Assert.True(body.TryGetProperty(field, out _), field);
        Assert.Equal(1, body.GetProperty("subtotal").GetInt32());
        Assert.True(body.GetProperty("total").GetInt32() >= 1);
        Assert.Equal("id", body.GetProperty("sort").GetProperty("by").GetString());
        Assert.Equal("DESC", body.GetProperty("sort").GetProperty("order").GetString());
        var result = body.GetProperty("results")[0];
        foreach (var field in SummaryFields) Assert.True(result.TryGetProperty(field, out _), field);
        Assert.Equal(id, result.GetProperty("id").GetInt64());
        var all = await _api.GetFromJsonAsync<JsonElement>("/api/job_invocations?per_page=all");
        Assert.Equal(all.GetProperty("subtotal").GetInt32(), all.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task List_BadSearchField_Returns422()
    {
        var response = await _api.GetAsync("/api/job_invocations?search=colour+%3D+red");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Show_Unknown_Returns404InTheSeedShape()
    {
        var response = await _api.GetAsync("/api/job_invocations/999999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Resource job_invocation not found by id '999999'", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Show_HostStatus_AddsEachHostsJobStatus()
    {
        var created = await CreateAsync(new { feature = "run_script", targeting_type = "static_query", search_query = "name = api-web-01", inputs = new { command = "true" } });
        var id = created.GetProperty("id").GetInt64();
        await WaitDoneAsync(id);
        var body = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}?host_status=true");
        Assert.Equal("success", body.GetProperty("targeting").GetProperty("hosts")[0].GetProperty("job_status").GetString());
    }

    [Fact]
    public async Task HostOutput_ReturnsEntriesAndSinceReturnsOnlyNewer()
    {
        var created = await CreateAsync(new { feature = "run_script", targeting_type = "static_query", search_query = "name = api-web-01", inputs = new { command = "echo one; sleep 0.5; echo two >&2" } });
        var id = created.GetProperty("id").GetInt64();
        await WaitDoneAsync(id);
        var body = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}/hosts/{_fixture.HostId}");
        Assert.True(body.GetProperty("complete").GetBoolean());
        Assert.False(body.GetProperty("refresh").GetBoolean());
        var output = body.GetProperty("output").EnumerateArray().ToList();
        Assert.Contains(output, o => o.GetProperty("output_type").GetString() == "stdout" && o.GetProperty("output").GetString() == "one\n");
        Assert.Contains(output, o => o.GetProperty("output_type").GetString() == "stderr" && o.GetProperty("output").GetString() == "two\n");
        var first = output.Min(o => o.GetProperty("timestamp").GetDouble());
        var since = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}/hosts/{_fixture.HostId}?since={first.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.True(output.Count - 1 == since.GetProperty("output").GetArrayLength(), $"since={first}: all={body} newer={since}");
        using var rawResponse = await _api.GetAsync($"/api/job_invocations/{id}/hosts/{_fixture.HostId}/raw");
        Assert.Equal("application/json", rawResponse.Content.Headers.ContentType?.MediaType);
        var raw = await rawResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(raw.GetProperty("complete").GetBoolean());
        Assert.False(raw.GetProperty("refresh").GetBoolean());
        Assert.Equal("one\ntwo\n", raw.GetProperty("output").GetString());
        Assert.False(raw.TryGetProperty("delayed", out _));
        var outputs = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}/outputs");
        var entry = outputs.GetProperty("outputs")[0];
        foreach (var field in new[] { "complete", "refresh", "output", "host_id" }) Assert.True(entry.TryGetProperty(field, out _), field);
        Assert.Equal(_fixture.HostId, entry.GetProperty("host_id").GetGuid());
    }

    [Fact]
    public async Task HostOutput_OfAScheduledJob_SaysDelayed()
    {
        var startAt = DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
        var created = await CreateAsync(new { feature = "run_script", targeting_type = "static_query", search_query = "name = api-web-01", inputs = new { command = "true" }, scheduling = new { start_at = startAt } });
        Assert.Equal("future", created.GetProperty("mode").GetString());
        var id = created.GetProperty("id").GetInt64();
        var raw = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}/hosts/{_fixture.HostId}/raw");
        Assert.True(raw.GetProperty("delayed").GetBoolean());
        Assert.False(raw.GetProperty("complete").GetBoolean());
        Assert.Equal(JsonValueKind.Null, raw.GetProperty("output").ValueKind);
        var cancel = await _api.PostAsJsonAsync($"/api/job_invocations/{id}/cancel", new { force = true, job_invocation = new { } });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(cancelled.GetProperty("cancelled").GetBoolean());
        Assert.Equal(id, cancelled.GetProperty("id").GetInt64());
        var after = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}");
        Assert.Equal("cancelled", after.GetProperty("status_label").GetString());
        Assert.Equal(4, after.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Rerun_FailedOnly_TargetsTheFailedHostsByName_AndReturns201()
    {
        var created = await CreateAsync(new { feature = "run_script", targeting_type = "static_query", search_query = "name ~ api-web", inputs = new { command = "exit 7" } });
        var id = created.GetProperty("id").GetInt64();
        var done = await WaitDoneAsync(id);
        Assert.Equal(2, done.GetProperty("failed").GetInt32());
        var response = await _api.PostAsJsonAsync($"/api/job_invocations/{id}/rerun", new { job_invocation = new { }, failed_only = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var rerun = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(id, rerun.GetProperty("id").GetInt64());
        Assert.Equal("name ^ (api-web-01,api-web-02)", rerun.GetProperty("targeting").GetProperty("search_query").GetString());
        Assert.Equal(2, rerun.GetProperty("targeting").GetProperty("hosts").GetArrayLength());
    }

    [Fact]
    public async Task Rerun_SucceededOnly_NamesOnlyTheHostsThatSucceeded_AndAPlainRerunKeepsTheQuery()
    {
        var created = await CreateAsync(new { feature = "run_script", targeting_type = "static_query", search_query = "name = api-web-02", inputs = new { command = "true" } });
        var id = created.GetProperty("id").GetInt64();
        await WaitDoneAsync(id);
        var response = await _api.PostAsync($"/api/job_invocations/{id}/rerun?succeeded_only=true", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var targeting = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("targeting");
        Assert.Equal("name ^ (api-web-02)", targeting.GetProperty("search_query").GetString());
        Assert.Equal("api-web-02", targeting.GetProperty("hosts").EnumerateArray().Single().GetProperty("name").GetString());
        var plain = await (await _api.PostAsJsonAsync($"/api/job_invocations/{id}/rerun", new { job_invocation = new { } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("name = api-web-02", plain.GetProperty("targeting").GetProperty("search_query").GetString());
        var failedOnly = await _api.PostAsJsonAsync($"/api/job_invocations/{id}/rerun", new { failed_only = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failedOnly.StatusCode);
    }

    [Fact]
    public async Task HostOutput_PagesByTheSameCursorAsTheDashboard_SinceTheLastTimestampIsEmptyAndComplete()
    {
        var created = await CreateAsync(new { feature = "run_script", targeting_type = "static_query", search_query = "name = api-web-02", inputs = new { command = "echo a; sleep 0.3; echo b" } });
        var id = created.GetProperty("id").GetInt64();
        await WaitDoneAsync(id);
        var hostId = _fixture.HostIds["api-web-02"];
        var body = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}/hosts/{hostId}");
        var entries = body.GetProperty("output").EnumerateArray().ToList();
        var dashboard = await _fixture.Server.Get<Fleet.Web.Engine.IInvocationOutput>().GetOutputAsync(id, hostId, 0, 100);
        Assert.Equal(dashboard.Lines.Select(l => l.Text), entries.Select(e => e.GetProperty("output").GetString()));
        var last = entries.Max(e => e.GetProperty("timestamp").GetDouble()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var after = await _api.GetFromJsonAsync<JsonElement>($"/api/job_invocations/{id}/hosts/{hostId}?since={last}");
        Assert.Equal(0, after.GetProperty("output").GetArrayLength());
        Assert.True(after.GetProperty("complete").GetBoolean());
        var bad = await _api.GetAsync($"/api/job_invocations/{id}/hosts/{hostId}?since=yesterday");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var unknownHost = await _api.GetAsync($"/api/job_invocations/{id}/hosts/{Guid.NewGuid()}/raw");
        Assert.Equal(HttpStatusCode.NotFound, unknownHost.StatusCode);
    }

    [Fact]
    public async Task Cancel_AFinishedJob_Returns422_AndAnUnknownOne404()
    {
        var created = await CreateAsync(new { feature = "run_script", targeting_type = "static_query", search_query = "name = api-web-01", inputs = new { command = "true" } });
        var id = created.GetProperty("id").GetInt64();
        await WaitDoneAsync(id);
        var finished = await _api.PostAsJsonAsync($"/api/job_invocations/{id}/cancel", new { force = false });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, finished.StatusCode);
        Assert.Contains("already finished", (await finished.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsJsonAsync("/api/job_invocations/987654/cancel", new { })).StatusCode);
    }

    [Fact]
    public async Task Rerun_Unknown_Returns404WithAStringError()
    {
        var response = await _api.PostAsJsonAsync("/api/job_invocations/424242/rerun", new { job_invocation = new { } });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(JsonValueKind.String, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task WithoutToken_Returns401InForemansShape()
    {
        using var anonymous = _fixture.Server.Api(token: null);
        var response = await anonymous.GetAsync("/api/job_invocations");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").TryGetProperty("message", out _));
    }
}
