using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Domain.Operations;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.Operations;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Jobs;

/// <summary>A recurring operation lives in the database: after a restart its Hangfire job is back, and it fires once at its instant.</summary>
public sealed class HeadlessOperationRestartTests
{
    /// <summary>The embedded default: Hangfire's SQLite file beside the database, kept across the restart.</summary>
    private static readonly Dictionary<string, string?> SqliteJobs = new() { ["Fleet:Jobs:Storage"] = "Sqlite" };

    private const string Path = "/api/v1/inventory_device_name_headless_operation/";

    [Fact]
    public async Task RecurringInParis_SurvivesARestart_AndFiresOnceAtThreeOClockParisTime()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fleet-tests", "op-restart-" + Guid.NewGuid().ToString("N"));
        long id;
        using (var first = new FleetServer(SqliteJobs, directory: directory))
        {
            await first.StartAcceptedAgentAsync("op-recur-01");
            using var api = first.Api();
            using var response = await api.PostAsJsonAsync(Path, new
            {
                operation_type = "health_check",
                device_targets = new[] { "op-recur-01" },
                schedule = new { type = "recurring", cron = "0 3 * * *", timezone = "Europe/Paris" },
                parameters = new { check_network_connectivity = false, check_running_services = false },
            });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, body.ToString());
            id = long.Parse(body.GetProperty("id").GetString()!["txn_".Length..]);
        }

        // Tomorrow (or today) at 03:00 in Paris, computed here independently of Fleet's cron arithmetic.
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, paris);
        var day = local.TimeOfDay < TimeSpan.FromHours(3) ? local.Date : local.Date.AddDays(1);
        var instant = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(day.AddHours(3), paris), TimeSpan.Zero);
        var clock = new ManualClock(instant);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var second = new FleetServer(SqliteJobs, directory: directory,
            configure: builder => builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(clock)));
        var storage = second.Get<JobStorage>();
        var job = await Eventually.Until(() =>
        {
            using var connection = storage.GetConnection();
            return Task.FromResult(connection.GetRecurringJobs().FirstOrDefault(j => j.Id == HeadlessOperationService.RecurringId(id)));
        }, j => j is not null, "the recurring job to be registered again");
        Assert.Equal("0 3 * * *", job!.Cron);
        Assert.Equal(instant.UtcDateTime, job.NextExecution);

        second.StartAgent("machine-op-recur-01", "op-recur-01", new FixedInventorySource("op-recur-01"), enrollmentToken: null,
            identity: new Fleet.Agent.FileIdentityStore(System.IO.Path.Combine(directory, "agents", "machine-op-recur-01")));
        Guid hostId;
        await using (var hosts = second.Db()) hostId = (await hosts.Hosts.SingleAsync()).Id;
        await Eventually.Until(() => second.Get<Fleet.Web.Engine.AgentRegistry>().IsConnected(hostId), "the agent to reconnect");
        var operations = second.Get<HeadlessOperationService>();
        await operations.OccurAsync(id);
        clock.Advance(TimeSpan.FromSeconds(2));
        await operations.OccurAsync(id);

        using var client = second.Api();
        var done = await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"{Path}?id=txn_{id}"),
            b => b.GetProperty("results")[0].GetProperty("status").GetString() == "completed", "the occurrence to complete", TimeSpan.FromSeconds(60));
        Assert.Equal(instant, DateTimeOffset.Parse(done.GetProperty("results")[0].GetProperty("scheduled_at").GetString()!));
        await using var db = second.Db();
        var operation = await db.HeadlessOperations.AsNoTracking().SingleAsync(o => o.Id == id);
        Assert.Equal(1, operation.Occurrences);
        Assert.Equal(1, await db.OperationRuns.CountAsync(r => r.OperationId == id));
        Assert.Equal(new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).AddHours(3), paris), TimeSpan.Zero), operation.NextExecution);
        Assert.Equal(OperationState.Scheduled, await Eventually.Until(async () =>
        {
            await using var check = second.Db();
            return (await check.HeadlessOperations.AsNoTracking().SingleAsync(o => o.Id == id)).State;
        }, s => s == OperationState.Scheduled, "the occurrence to end"));
        Directory.Delete(directory, recursive: true);
    }
}
