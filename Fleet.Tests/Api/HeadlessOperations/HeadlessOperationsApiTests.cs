using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Domain.Security;
using Fleet.Tests.Api.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api.HeadlessOperations;

/// <summary>Seed 000 (headless device operations): both calls, every field, the error codes, against real agents.</summary>
public sealed class HeadlessOperationsApiTests : IClassFixture<HeadlessOperationsApiTests.Fixture>
{
    public sealed class Fixture() : ServerWithAgents("ops-01", "ops-02", "ops-gone", "ops-reboot");

    private const string Path = "/api/v1/inventory_device_name_headless_operation/";

    private readonly Fixture _fixture;
    private readonly HttpClient _api;

    public HeadlessOperationsApiTests(Fixture fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json, HttpClient? client = null)
    {
        using var response = await (client ?? _api).PostAsync(Path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<JsonElement> CreateAsync(object operation)
    {
        var (status, body) = await PostAsync(JsonSerializer.Serialize(operation));
        Assert.True(status == HttpStatusCode.Created, $"{status}: {body}");
        return body;
    }

    private async Task<JsonElement> WaitFinishedAsync(string monitoringUrl, int devices = 1) =>
        await Eventually.Until(() => _api.GetFromJsonAsync<JsonElement>(monitoringUrl),
            b => b.GetProperty("results").GetArrayLength() == devices &&
                 b.GetProperty("results").EnumerateArray().All(r => r.GetProperty("status").GetString() is "completed" or "failed" or "cancelled"),
            $"{monitoringUrl} to finish", TimeSpan.FromSeconds(60));

    private async Task<long> RowsAsync()
    {
        await using var db = _fixture.Server.Db();
        return await db.HeadlessOperations.LongCountAsync() + await db.OperationDevices.LongCountAsync() + await db.Invocations.LongCountAsync();
    }

    [Fact]
    public async Task Post_ImmediateHealthCheck_Returns201WithEverySeedField()
    {
        var body = await CreateAsync(new
        {
            operation_type = "health_check",
            device_targets = new[] { "ops-01", "ops-02" },
            schedule = new { type = "immediate" },
            parameters = new { disk_threshold_percent = 80, check_network_connectivity = false },
            notification = new { on_completion = false, on_failure = true, webhook_url = "https://monitoring.example.com/hook" },
            retry_policy = new { max_attempts = 3, retry_delay_minutes = 5 },
        });

        Assert.Matches("^txn_[0-9]+$", body.GetProperty("id").GetString());
        Assert.Equal("scheduled", body.GetProperty("status").GetString());
        Assert.Equal("health_check", body.GetProperty("operation_type").GetString());
        Assert.Equal(["ops-01", "ops-02"], body.GetProperty("device_targets").EnumerateArray().Select(e => e.GetString()));
        Assert.True(DateTimeOffset.TryParse(body.GetProperty("created_at").GetString(), out _));
        Assert.True(DateTimeOffset.TryParse(body.GetProperty("scheduled_for").GetString(), out _));
        Assert.True(body.GetProperty("estimated_duration_minutes").GetInt32() > 0);
        var parameters = body.GetProperty("parameters");
        Assert.Equal(80, parameters.GetProperty("disk_threshold_percent").GetInt32());
        Assert.Equal(90, parameters.GetProperty("memory_threshold_percent").GetInt32());
        Assert.False(parameters.GetProperty("check_network_connectivity").GetBoolean());
        Assert.Equal("immediate", body.GetProperty("schedule").GetProperty("type").GetString());
        Assert.True(body.GetProperty("schedule").TryGetProperty("next_execution", out _));
        Assert.Equal(new Uri(_fixture.Server.Address, Path + "?id=" + body.GetProperty("id").GetString()).ToString(), body.GetProperty("monitoring_url").GetString());
    }

    [Fact]
    public async Task HealthCheck_WithThresholdsBelowRealUsage_ReportsFailedChecks_OnePerDevice()
    {
        var created = await CreateAsync(new
        {
            operation_type = "health_check",
            device_targets = new[] { "ops-01", "ops-02" },
            parameters = new { disk_threshold_percent = 1, memory_threshold_percent = 1, check_network_connectivity = false, check_running_services = false },
        });

        var done = await WaitFinishedAsync(created.GetProperty("monitoring_url").GetString()!, devices: 2);

        Assert.Equal(2, done.GetProperty("count").GetInt32());
        Assert.Equal(["ops-01", "ops-02"], done.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("device_name").GetString()));
        foreach (var result in done.GetProperty("results").EnumerateArray())
        {
            Assert.Equal(created.GetProperty("id").GetString(), result.GetProperty("id").GetString());
            Assert.Equal("health_check", result.GetProperty("operation_type").GetString());
            Assert.Equal("completed", result.GetProperty("status").GetString());
            Assert.Equal(100, result.GetProperty("progress").GetInt32());
            foreach (var field in new[] { "scheduled_at", "started_at", "completed_at" })
                Assert.True(DateTimeOffset.TryParse(result.GetProperty(field).GetString(), out _), field);
            Assert.False(result.TryGetProperty("operation_details", out _));
            var health = result.GetProperty("result");
            Assert.Equal("unhealthy", health.GetProperty("status").GetString());
            Assert.True(health.GetProperty("checks_failed").GetInt32() >= 2, health.ToString());
            Assert.Equal(JsonValueKind.Number, health.GetProperty("checks_passed").ValueKind);
            Assert.Equal(JsonValueKind.Number, health.GetProperty("warnings").ValueKind);
            Assert.Contains(health.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "memory_usage" && c.GetProperty("status").GetString() == "fail");
            Assert.Equal(1, health.GetProperty("attempts").GetInt32());
        }
    }

    [Fact]
    public async Task Get_DeviceDetails_ComeFromTheAgentsInventory_AndLocationFromInventorySync()
    {
        var created = await CreateAsync(new
        {
            operation_type = "inventory_sync",
            device_targets = new[] { "ops-02" },
            parameters = new { sync_software = true, sync_hardware = true, update_location = true, location = "Building A, Floor 2" },
        });

        var done = await WaitFinishedAsync(created.GetProperty("monitoring_url").GetString()!);

        var result = done.GetProperty("results")[0];
        Assert.Equal("completed", result.GetProperty("status").GetString());
        var details = result.GetProperty("device_details");
        Assert.Equal("SN-ops-02", details.GetProperty("serial_number").GetString());
        Assert.Equal("PowerEdge R740", details.GetProperty("model").GetString());
        Assert.Equal("Dell Inc.", details.GetProperty("manufacturer").GetString());
        Assert.Equal("Building A, Floor 2", details.GetProperty("location").GetString());
        Assert.True(DateTimeOffset.TryParse(details.GetProperty("last_seen").GetString(), out _));
        Assert.Equal("success", result.GetProperty("result").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Get_Pages_WithFullNextAndPreviousUrls_CarryingLimitAndOffset()
    {
        var created = await CreateAsync(new { operation_type = "inventory_sync", device_targets = new[] { "ops-01", "ops-02" }, schedule = new { type = "once", scheduled_at = "2099-01-01T00:00:00Z" } });
        var id = created.GetProperty("id").GetString();

        var middle = await _api.GetFromJsonAsync<JsonElement>($"{Path}?id={id}&limit=1&offset=1");
        var first = await _api.GetFromJsonAsync<JsonElement>($"{Path}?id={id}&limit=1");

        Assert.Equal(2, middle.GetProperty("count").GetInt32());
        Assert.Equal("ops-02", middle.GetProperty("results")[0].GetProperty("device_name").GetString());
        Assert.Equal(JsonValueKind.Null, middle.GetProperty("next").ValueKind);
        Assert.Equal(new Uri(_fixture.Server.Address, $"{Path}?id={id}&limit=1&offset=0").ToString(), middle.GetProperty("previous").GetString());
        Assert.Equal(new Uri(_fixture.Server.Address, $"{Path}?id={id}&limit=1&offset=1").ToString(), first.GetProperty("next").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("previous").ValueKind);
        var waiting = first.GetProperty("results")[0];
        Assert.Equal("scheduled", waiting.GetProperty("status").GetString());
        Assert.Equal("2099-01-01T00:00:00.000Z", waiting.GetProperty("scheduled_at").GetString());
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("started_at").ValueKind);
        Assert.False(waiting.TryGetProperty("result", out _));
        Assert.False(waiting.TryGetProperty("completed_at", out _));
    }

    [Fact]
    public async Task Get_DefaultLimitIs100_AndAnUnknownIdListsNothing()
    {
        var all = await _api.GetFromJsonAsync<JsonElement>(Path);
        var none = await _api.GetFromJsonAsync<JsonElement>(Path + "?id=txn_987654321");

        Assert.True(all.GetProperty("results").GetArrayLength() <= 100);
        Assert.Equal(0, none.GetProperty("count").GetInt32());
        Assert.Empty(none.GetProperty("results").EnumerateArray());
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=abc")]
    [InlineData("?offset=-1")]
    [InlineData("?id=12345")]
    [InlineData("?update_status=maybe")]
    public async Task Get_WithABadQuery_Answers422InTheDetailShape(string query)
    {
        using var response = await _api.GetAsync(Path + query);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        ApiErrorShapes.AssertShape(Path, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1, 2]")]
    [InlineData("{\"device_targets\": [\"ops-01\"]}")]
    [InlineData("{\"operation_type\": \"health_check\"}")]
    [InlineData("{\"operation_type\": \"health_check\", \"device_targets\": [\"ops-01\"], \"schedule\": {}}")]
    public async Task Post_MalformedOrMissingRequiredFields_Returns400_AndWritesNothing(string json)
    {
        var before = await RowsAsync();

        var (status, body) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        ApiErrorShapes.AssertShape(Path, body.ToString());
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task Post_MissingBothRequiredFields_ListsBoth()
    {
        var (status, body) = await PostAsync("{}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["body/operation_type", "body/device_targets"],
            body.GetProperty("detail").EnumerateArray().Select(d => string.Join('/', d.GetProperty("loc").EnumerateArray().Select(l => l.ToString()))));
    }

    [Fact]
    public async Task Post_InvalidConfiguration_Returns422ListingEveryProblem_AndWritesNothing()
    {
        var before = await RowsAsync();

        var (status, body) = await PostAsync(JsonSerializer.Serialize(new
        {
            operation_type = "health_check",
            device_targets = new[] { "ops-01", "no-such-host" },
            schedule = new { type = "recurring", cron = "61 * * * *", timezone = "Mars/Olympus_Mons" },
            parameters = new { disk_threshold_percent = 150 },
            notification = new { on_failure = true, webhook_url = "ftp://example.com" },
            retry_policy = new { max_attempts = 0 },
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var locations = body.GetProperty("detail").EnumerateArray().Select(d => string.Join('/', d.GetProperty("loc").EnumerateArray().Select(l => l.ToString()))).ToList();
        Assert.Equal(
            ["body/parameters/disk_threshold_percent", "body/schedule/cron", "body/schedule/timezone", "body/retry_policy/max_attempts",
             "body/notification/webhook_url", "body/device_targets/1"],
            locations);
        Assert.Equal(before, await RowsAsync());
    }

    [Theory]
    [InlineData("{\"operation_type\": \"defragment\", \"device_targets\": [\"ops-01\"]}", "body/operation_type")]
    [InlineData("{\"operation_type\": 5, \"device_targets\": [\"ops-01\"]}", "body/operation_type")]
    [InlineData("{\"operation_type\": \"reboot\", \"device_targets\": \"ops-01\"}", "body/device_targets")]
    [InlineData("{\"operation_type\": \"reboot\", \"device_targets\": []}", "body/device_targets")]
    [InlineData("{\"operation_type\": \"reboot\", \"device_targets\": [\"ops-01\"], \"schedule\": {\"type\": \"once\", \"scheduled_at\": \"2099-01-01 10:00\"}}", "body/schedule/scheduled_at")]
    [InlineData("{\"operation_type\": \"reboot\", \"device_targets\": [\"ops-01\"], \"device_name\": \"ops-01\"}", "body/device_name")]
    [InlineData("{\"operation_type\": \"restart_service\", \"device_targets\": [\"ops-01\"], \"parameters\": {\"service_name\": \"x; reboot\"}}", "body/parameters/service_name")]
    public async Task Post_OneInvalidValue_Returns422NamingIt(string json, string location)
    {
        var (status, body) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(location, body.GetProperty("detail").EnumerateArray().Select(d => string.Join('/', d.GetProperty("loc").EnumerateArray().Select(l => l.ToString()))));
    }

    [Fact]
    public async Task Post_RecurringInNewYork_ReturnsNextExecutionAtNineThirtyNewYorkTime_AndRegistersTheHangfireJob()
    {
        var created = await CreateAsync(new
        {
            operation_type = "health_check",
            device_targets = new[] { "ops-01" },
            schedule = new { type = "recurring", cron = "30 9 * * *", timezone = "America/New_York" },
        });

        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone);
        var day = local.TimeOfDay < new TimeSpan(9, 30, 0) ? local.Date : local.Date.AddDays(1);
        var expected = TimeZoneInfo.ConvertTimeToUtc(day.AddHours(9.5), zone);
        var schedule = created.GetProperty("schedule");
        Assert.Equal(expected, DateTimeOffset.Parse(schedule.GetProperty("next_execution").GetString()!).UtcDateTime);
        Assert.Equal("America/New_York", schedule.GetProperty("timezone").GetString());
        Assert.Equal("30 9 * * *", schedule.GetProperty("cron").GetString());
        Assert.Equal(schedule.GetProperty("next_execution").GetString(), created.GetProperty("scheduled_for").GetString());

        var id = long.Parse(created.GetProperty("id").GetString()!["txn_".Length..]);
        using var connection = _fixture.Server.Get<Hangfire.JobStorage>().GetConnection();
        var job = Assert.Single(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == Fleet.Web.Engine.Operations.HeadlessOperationService.RecurringId(id));
        Assert.Equal("30 9 * * *", job.Cron);
        Assert.Equal(expected, job.NextExecution);
    }

    [Fact]
    public async Task RestartService_ThatFails_IsRetriedUpToMaxAttempts_AndShowsTheAttempts()
    {
        var created = await CreateAsync(new
        {
            operation_type = "restart_service",
            device_targets = new[] { "ops-01" },
            parameters = new { service_name = "fleet-no-such-service-0" },
            retry_policy = new { max_attempts = 2, retry_delay_minutes = 0 },
        });

        var done = await WaitFinishedAsync(created.GetProperty("monitoring_url").GetString()!);

        var result = done.GetProperty("results")[0];
        Assert.Equal("failed", result.GetProperty("status").GetString());
        Assert.Equal("failure", result.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal(2, result.GetProperty("result").GetProperty("attempts").GetInt32());
        await using var db = _fixture.Server.Db();
        var id = long.Parse(created.GetProperty("id").GetString()!["txn_".Length..]);
        Assert.Equal([1, 2], await db.OperationRuns.Where(r => r.OperationId == id).OrderBy(r => r.Attempt).Select(r => r.Attempt).ToListAsync());
    }

    [Fact]
    public async Task Reboot_GoesThroughThePowerProvider()
    {
        var created = await CreateAsync(new { operation_type = "reboot", device_targets = new[] { "ops-reboot" }, parameters = new { delay = 0, message = "patch night" } });

        var done = await WaitFinishedAsync(created.GetProperty("monitoring_url").GetString()!);

        Assert.Equal("completed", done.GetProperty("results")[0].GetProperty("status").GetString());
        lock (_fixture.Server.PowerRequests)
            Assert.Contains(_fixture.Server.PowerRequests, r => r.Hostname == "ops-reboot" && r.Action == Fleet.Agent.Execution.PowerAction.Reboot);
    }

    [Fact]
    public async Task Get_UpdateStatus_AsksTheOnlineAgents_AndNamesTheDevicesThatDidNotAnswer()
    {
        var created = await CreateAsync(new { operation_type = "inventory_sync", device_targets = new[] { "ops-01", "ops-gone" }, schedule = new { type = "once", scheduled_at = "2099-01-01T00:00:00Z" } });
        await _fixture.Agents["ops-gone"].StopAsync();
        await Eventually.Until(() => !_fixture.Server.Get<Fleet.Web.Engine.AgentRegistry>().IsConnected(_fixture.HostIds["ops-gone"]), "ops-gone to disconnect");
        var before = await _api.GetFromJsonAsync<JsonElement>(created.GetProperty("monitoring_url").GetString()!);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refreshed = await _api.GetFromJsonAsync<JsonElement>(created.GetProperty("monitoring_url").GetString() + "&update_status=true");
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        var update = refreshed.GetProperty("status_update");
        Assert.Equal(["ops-01"], update.GetProperty("refreshed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ops-gone"], update.GetProperty("not_answered").EnumerateArray().Select(e => e.GetString()));
        var lastSeen = (JsonElement r) => DateTimeOffset.Parse(r.GetProperty("device_details").GetProperty("last_seen").GetString()!);
        Assert.True(lastSeen(refreshed.GetProperty("results")[0]) > lastSeen(before.GetProperty("results")[0]));
        Assert.False(before.TryGetProperty("status_update", out _));
    }

    [Fact]
    public async Task Viewer_CanList_ButNotCreate_AndAnonymousGets401()
    {
        var viewer = await _fixture.Server.Get<IAccountAdmin>().CreateTokenAsync("ops viewer", Roles.Viewer);
        using var asViewer = _fixture.Server.Api(viewer.Secret);
        using var anonymous = _fixture.Server.Api(null);

        using var list = await asViewer.GetAsync(Path);
        var (createStatus, createBody) = await PostAsync("{\"operation_type\": \"reboot\", \"device_targets\": [\"ops-01\"]}", asViewer);
        using var unauthenticated = await anonymous.GetAsync(Path);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, createStatus);
        ApiErrorShapes.AssertShape(Path, createBody.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        ApiErrorShapes.AssertShape(Path, await unauthenticated.Content.ReadAsStringAsync());
    }
}
