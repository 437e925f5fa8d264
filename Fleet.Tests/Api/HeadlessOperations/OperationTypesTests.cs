using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api.HeadlessOperations;

/// <summary>restart_service and update end to end: real agents run the built-in templates against the sandbox tool provider.</summary>
public sealed class OperationTypesTests : IClassFixture<OperationTypesTests.Fixture>
{
    public sealed class Fixture() : ServerWithAgents("tools-01")
    {
        public SandboxTools Tools { get; } = new();

        protected override async Task<RunningAgent> StartAgentAsync(string hostname)
        {
            var agent = Server.StartAgent("machine-" + hostname, hostname, new FixedInventorySource(hostname), toolPath: Tools.Path);
            await Eventually.Until(() => agent.Agent.IsAccepted, $"agent {hostname} accepted");
            return agent;
        }
    }

    private const string Path = "/api/v1/inventory_device_name_headless_operation/";

    private readonly Fixture _fixture;
    private readonly HttpClient _api;

    public OperationTypesTests(Fixture fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    private async Task<JsonElement> RunAsync(object operation)
    {
        using var response = await _api.PostAsJsonAsync(Path, operation);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToString());
        var done = await Eventually.Until(() => _api.GetFromJsonAsync<JsonElement>(created.GetProperty("monitoring_url").GetString()!),
            b => b.GetProperty("results")[0].GetProperty("status").GetString() is "completed" or "failed", "the operation to finish", TimeSpan.FromSeconds(60));
        return done.GetProperty("results")[0];
    }

    [Fact]
    public async Task RestartService_RestartsTheUnitAndVerifiesItRuns()
    {
        _fixture.Tools.AddUnit("nginx");

        var result = await RunAsync(new { operation_type = "restart_service", device_targets = new[] { "tools-01" }, parameters = new { service_name = "nginx", verify_status = true } });

        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Equal(0, result.GetProperty("result").GetProperty("exit_code").GetInt32());
        Assert.Contains("systemctl restart nginx", _fixture.Tools.Calls);
        Assert.Contains("systemctl is-active nginx", _fixture.Tools.Calls);
    }

    [Fact]
    public async Task RestartService_ThatFailsOnce_SucceedsOnTheRetry_WithTwoAttempts()
    {
        _fixture.Tools.AddUnit("flaky", failures: 1);

        var result = await RunAsync(new
        {
            operation_type = "restart_service",
            device_targets = new[] { "tools-01" },
            parameters = new { service_name = "flaky" },
            retry_policy = new { max_attempts = 3, retry_delay_minutes = 0 },
        });

        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Equal(2, result.GetProperty("result").GetProperty("attempts").GetInt32());
        Assert.Equal(2, _fixture.Tools.Calls.Count(c => c == "systemctl restart flaky"));
    }

    [Fact]
    public async Task Update_WithAPackageList_UpgradesOnlyThosePackages()
    {
        var result = await RunAsync(new { operation_type = "update", device_targets = new[] { "tools-01" }, parameters = new { package_list = new[] { "openssl", "libssl3" } } });

        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Contains("apt-get update -q", _fixture.Tools.Calls);
        Assert.Contains("apt-get install -y -q --only-upgrade openssl libssl3", _fixture.Tools.Calls);
    }

    [Fact]
    public async Task RestartService_ThatFails_IsRetriedAfterTheRetryDelay_ThroughHangfiresSchedule()
    {
        _fixture.Tools.AddUnit("slow-flaky", failures: 1);
        using var response = await _api.PostAsJsonAsync(Path, new
        {
            operation_type = "restart_service",
            device_targets = new[] { "tools-01" },
            parameters = new { service_name = "slow-flaky" },
            retry_policy = new { max_attempts = 2, retry_delay_minutes = 3 },
        });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToString());
        var monitoring = created.GetProperty("monitoring_url").GetString()!;
        var operationId = long.Parse(created.GetProperty("id").GetString()!["txn_".Length..]);

        // The first attempt failed; the second waits in Hangfire's schedule for the policy's delay.
        var storage = _fixture.Server.Get<JobStorage>();
        var retry = await Eventually.Until(() => Task.FromResult(storage.GetMonitoringApi().ScheduledJobs(0, 1000)
            .FirstOrDefault(j => j.Value.Job.Method.Name == nameof(Fleet.Web.Jobs.HeadlessOperationJobs.RetryAsync)
                && RunOf((long)j.Value.Job.Args[0]) == operationId)), j => j.Key is not null, "the retry to be scheduled");
        DateTimeOffset firstEnded;
        await using (var db = _fixture.Server.Db())
        {
            var firstRun = await db.OperationRuns.AsNoTracking().SingleAsync(r => r.OperationId == operationId);
            firstEnded = (await db.Invocations.AsNoTracking().SingleAsync(i => i.Id == firstRun.InvocationId)).EndedAt!.Value;
        }
        Assert.Equal(firstEnded.AddMinutes(3).UtcDateTime, retry.Value.EnqueueAt, TimeSpan.FromSeconds(1));
        var waiting = (await _api.GetFromJsonAsync<JsonElement>(monitoring)).GetProperty("results")[0];
        // A failed attempt with a retry to come reads as pending, with no result yet.
        Assert.Equal("pending", waiting.GetProperty("status").GetString());
        Assert.False(waiting.TryGetProperty("result", out var early) && early.ValueKind != JsonValueKind.Null, waiting.ToString());
        Assert.Equal(1, _fixture.Tools.Calls.Count(c => c == "systemctl restart slow-flaky"));

        // Its time comes: Hangfire enqueues it as its schedule would.
        Assert.True(_fixture.Server.Get<IBackgroundJobClient>().Requeue(retry.Key));
        var done = await Eventually.Until(() => _api.GetFromJsonAsync<JsonElement>(monitoring),
            b => b.GetProperty("results")[0].GetProperty("status").GetString() == "completed", "the retry to complete", TimeSpan.FromSeconds(60));
        Assert.Equal(2, done.GetProperty("results")[0].GetProperty("result").GetProperty("attempts").GetInt32());
        Assert.Equal(2, _fixture.Tools.Calls.Count(c => c == "systemctl restart slow-flaky"));

        long RunOf(long operationRunId)
        {
            using var db = _fixture.Server.Db();
            return db.OperationRuns.AsNoTracking().Where(r => r.Id == operationRunId).Select(r => r.OperationId).FirstOrDefault();
        }
    }
}
