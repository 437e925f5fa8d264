using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Jobs;

/// <summary>Hangfire's SQLite storage keeps recurrences across a restart, and the database re-registers them.</summary>
public sealed class RecurringInvocationRestartTests
{
    /// <summary>The embedded default: Hangfire's SQLite file beside the database, kept across the restart.</summary>
    private static readonly Dictionary<string, string?> SqliteJobs = new() { ["Fleet:Jobs:Storage"] = "Sqlite" };

    [Fact]
    public async Task Recurrence_SurvivesAServerRestart_AndStillRuns()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "restart-" + Guid.NewGuid().ToString("N"));
        long invocationId;
        long logicId;
        using (var first = new FleetServer(SqliteJobs, directory: directory))
        {
            await first.StartAcceptedAgentAsync("recur-01");
            invocationId = await first.Get<IInvocationService>().CreateAsync(new NewJob
            {
                AdHocCommand = "echo recurring",
                SearchQuery = "name = recur-01",
                Targeting = TargetingType.DynamicQuery,
                CronLine = "0 3 * * *",
            }, "tester");
            await using var db = first.Db();
            logicId = (await db.Invocations.AsNoTracking().SingleAsync(i => i.Id == invocationId)).RecurringLogicId!.Value;
        }

        // A new process would hold no pooled connection to the old database.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var second = new FleetServer(SqliteJobs, directory: directory);
        var storage = second.Get<JobStorage>();
        await Eventually.Until(() =>
        {
            using var connection = storage.GetConnection();
            return connection.GetRecurringJobs().Any(j => j.Id == InvocationJobs.RecurringId(logicId) && j.Cron == "0 3 * * *");
        }, "the recurring job to be registered again");

        second.StartAgent("machine-recur-01", "recur-01", new FixedInventorySource("recur-01"), enrollmentToken: null,
            identity: new Fleet.Agent.FileIdentityStore(Path.Combine(directory, "agents", "machine-recur-01")));
        second.Get<IRecurringJobManager>().Trigger(InvocationJobs.RecurringId(logicId));
        var results = await second.WaitForEndAsync(invocationId, TimeSpan.FromSeconds(30));
        Assert.Equal("recurring\n", results.Single().Stdout);
        await using var check = second.Db();
        Assert.Equal(1, (await check.RecurringLogics.AsNoTracking().SingleAsync(l => l.Id == logicId)).Iteration);
        Directory.Delete(directory, recursive: true);
    }
}
