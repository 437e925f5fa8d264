using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.Operations;
using Fleet.Web.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Jobs;

/// <summary>
/// Hangfire's SQLite storage (the embedded default) drives a real recurring job on the real clock: each instant gives one
/// occurrence, also the instant missed while the server was down, which the next server catches up once.
/// </summary>
public sealed class RecurringJobExactlyOnceTests
{
    private const string Path = "/api/v1/inventory_device_name_headless_operation/";
    private static readonly Dictionary<string, string?> SqliteJobs = new() { ["Fleet:Jobs:Storage"] = "Sqlite" };

    [Fact]
    public async Task EveryMinuteRecurrence_FiresOncePerMinute_AndOnceForTheMinuteMissedDuringARestart()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fleet-tests", "once-" + Guid.NewGuid().ToString("N"));
        long id;
        using (var first = new FleetServer(SqliteJobs, directory: directory))
        {
            Assert.IsType<Hangfire.Storage.SQLite.SQLiteStorage>(first.Get<JobStorage>());
            Assert.True(File.Exists(System.IO.Path.Combine(directory, HangfireSetup.SqliteFileName)));
            await first.StartAcceptedAgentAsync("once-01");
            using var api = first.Api();
            using var response = await api.PostAsJsonAsync(Path, new
            {
                operation_type = "health_check",
                device_targets = new[] { "once-01" },
                schedule = new { type = "recurring", cron = "* * * * *", timezone = "UTC" },
                parameters = new { check_network_connectivity = false, check_running_services = false },
            });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, body.ToString());
            id = long.Parse(body.GetProperty("id").GetString()!["txn_".Length..]);
            await OccurrencesAsync(first, id, 1, TimeSpan.FromSeconds(90));
        }

        // The next minute passes while no server runs.
        var downSince = DateTimeOffset.UtcNow;
        var missed = new DateTimeOffset(downSince.Year, downSince.Month, downSince.Day, downSince.Hour, downSince.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        await Eventually.Until(() => DateTimeOffset.UtcNow > missed.AddSeconds(1), "the next minute to pass with the server down", TimeSpan.FromSeconds(70));

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var second = new FleetServer(SqliteJobs, directory: directory);
        await OccurrencesAsync(second, id, 2, TimeSpan.FromSeconds(30));
        await OccurrencesAsync(second, id, 3, TimeSpan.FromSeconds(90));

        await using var db = second.Db();
        var runs = await db.OperationRuns.AsNoTracking().Where(r => r.OperationId == id && r.Attempt == 1).Select(r => r.Occurrence).ToListAsync();
        Assert.Equal(new[] { 1, 2, 3 }, runs.Order().Take(3));
        Assert.Equal(runs.Count, runs.Distinct().Count());
        Assert.Equal(runs.Count, (await db.HeadlessOperations.AsNoTracking().SingleAsync(o => o.Id == id)).Occurrences);
        using var connection = second.Get<JobStorage>().GetConnection();
        Assert.Single(connection.GetRecurringJobs(), j => j.Id == HeadlessOperationService.RecurringId(id));
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Waits for the first attempt of occurrence <paramref name="atLeast"/> to be written (it follows the occurrence's count).</summary>
    private static Task<int> OccurrencesAsync(FleetServer server, long id, int atLeast, TimeSpan timeout) => Eventually.Until(async () =>
    {
        await using var db = server.Db();
        return await db.OperationRuns.AsNoTracking().CountAsync(r => r.OperationId == id && r.Attempt == 1);
    }, n => n >= atLeast, $"occurrence {atLeast} of the recurring operation", timeout);
}
