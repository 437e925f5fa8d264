using System.Collections.Concurrent;
using Fleet.Tests.Infrastructure;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Server;

namespace Fleet.Tests.Jobs;

/// <summary>Hangfire on PostgreSQL (scale-out mode): two server instances share one storage, so a job runs once across them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRecurringJobTests(PostgresServer postgres)
{
    [Fact]
    public async Task RecurringJob_RegisteredByTwoInstances_FiresOncePerOccurrence()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var first = new FleetServer(PostgresServer.FleetSettings(connectionString));
        using var second = new FleetServer(PostgresServer.FleetSettings(connectionString));
        Assert.IsType<PostgreSqlStorage>(first.Get<JobStorage>());
        Assert.IsType<PostgreSqlStorage>(second.Get<JobStorage>());
        var recurringId = "cluster-tick-" + Guid.NewGuid().ToString("N")[..8];
        // Both instances register it, as each one's start-up reconciler registers Fleet's own recurring jobs.
        foreach (var server in new[] { first, second })
            server.Get<IRecurringJobManager>().AddOrUpdate<ClusterTickJob>(recurringId, job => job.Run(recurringId, null), "*/2 * * * * *");

        // Generous: in CI this shares two cores with the rest of the suite, and one missed deadline fails nothing else here.
        List<(long Occurrence, string JobId)> runs;
        try
        {
            runs = await Eventually.Until(() => Task.FromResult(ClusterTickJob.RunsOf(recurringId)), r => r.Select(x => x.Occurrence).Distinct().Count() >= 5,
                "five occurrences of the recurring job", TimeSpan.FromSeconds(150));
        }
        catch (TimeoutException)
        {
            // It stalled twice in full runs (never alone or under CPU load). Say whether Hangfire stopped scheduling it or
            // stopped running what it scheduled.
            using var connection = first.Get<JobStorage>().GetConnection();
            var state = connection.GetAllEntriesFromHash("recurring-job:" + recurringId) ?? new Dictionary<string, string>();
            var stats = first.Get<JobStorage>().GetMonitoringApi().GetStatistics();
            throw new TimeoutException($"{ClusterTickJob.RunsOf(recurringId).Count} runs by {DateTime.UtcNow:O}; jobs enqueued {stats.Enqueued}, "
                + $"scheduled {stats.Scheduled}, processing {stats.Processing}, failed {stats.Failed}, succeeded {stats.Succeeded}, servers {stats.Servers}; "
                + "recurring job: " + string.Join(", ", state.Select(kv => kv.Key + "=" + kv.Value)));
        }
        foreach (var server in new[] { first, second }) server.Get<IRecurringJobManager>().RemoveIfExists(recurringId);

        runs = ClusterTickJob.RunsOf(recurringId);
        Assert.All(runs.GroupBy(r => r.Occurrence), occurrence => Assert.Single(occurrence));
        Assert.Equal(runs.Count, runs.Select(r => r.JobId).Distinct().Count());
    }
}

/// <summary>Records which occurrence (the instant Hangfire fired it for) each execution served.</summary>
public sealed class ClusterTickJob
{
    private static readonly ConcurrentDictionary<string, ConcurrentBag<(long Occurrence, string JobId)>> Runs = new();

    public static List<(long Occurrence, string JobId)> RunsOf(string recurringId) =>
        Runs.TryGetValue(recurringId, out var runs) ? runs.ToList() : [];

    public void Run(string recurringId, PerformContext? context)
    {
        // Hangfire stamps each job a recurring job creates with the occurrence's time ("Time", Unix seconds).
        var occurrence = context!.GetJobParameter<long>("Time");
        Runs.GetOrAdd(recurringId, _ => []).Add((occurrence, context.BackgroundJob.Id));
    }
}
