using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.Execution;

/// <summary>Two server instances on one PostgreSQL database (no Redis) dispatching the same invocation at the same moments.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterDispatchTests(PostgresServer postgres)
{
    [Fact]
    public async Task TwoInstances_KickingTheSameInvocationTogether_DispatchEachTargetRunOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var first = new FleetServer(PostgresServer.FleetSettings(connectionString));
        // Started before the agents connect: its start-up reconciler would mark their hosts offline (another issue's part).
        using var second = new FleetServer(PostgresServer.FleetSettings(connectionString));
        string[] hostnames = ["dispatch-1", "dispatch-2", "dispatch-3", "dispatch-4", "dispatch-5", "dispatch-6"];
        foreach (var hostname in hostnames) await first.StartAcceptedAgentAsync(hostname);

        // One at a time: every result kicks the first instance, and each round below kicks both at the same moment, so the two
        // race over every queued run. A run the second instance dispatches cannot reach an agent held by the first (no
        // Redis here); it fails at its time_to_pickup and the next run is sent.
        var id = await first.RunAsync("true", "name ~ dispatch-", timeToPickup: 2, concurrency: 1);
        var engines = new[] { first.Get<ExecutionEngine>(), second.Get<ExecutionEngine>() };
        await Eventually.Until(async () =>
        {
            await Task.WhenAll(engines.Select(e => Task.Run(() => e.DispatchNowAsync(id))));
            await using var db = first.Db();
            return await db.Invocations.AsNoTracking().Where(i => i.Id == id).Select(i => i.State).FirstAsync();
        }, state => state == InvocationState.Stopped, "the invocation to end", TimeSpan.FromSeconds(90));

        await using var check = first.Db();
        var runs = await check.TargetRuns.AsNoTracking().Where(r => r.InvocationId == id).ToListAsync();
        var runIds = runs.Select(r => r.Id).ToList();
        var commands = await check.Commands.AsNoTracking().Where(c => runIds.Contains(c.TargetRunId)).ToListAsync();
        Assert.Equal(hostnames.Length, runs.Count);
        Assert.All(runs, r => Assert.True(r.Status.IsFinal(), $"{r.DeviceName} is {r.Status}"));
        Assert.All(runs, r => Assert.Single(commands, c => c.TargetRunId == r.Id));
        Assert.All(runs, r => Assert.Equal(commands.Single(c => c.TargetRunId == r.Id).Id, r.CommandId));
        // Concurrency 1 held across both instances: no command was created before the previous one ended.
        var ordered = commands.OrderBy(c => c.CreatedAt).ToList();
        for (var i = 1; i < ordered.Count; i++)
            Assert.True(ordered[i - 1].FinishedAt <= ordered[i].CreatedAt, $"command {i} created {ordered[i].CreatedAt:O} before command {i - 1} finished {ordered[i - 1].FinishedAt:O}");
    }

    [Fact]
    public async Task Invocation_WhoseInstanceStoppedDispatching_IsTakenUpByAnotherInstance()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var first = new FleetServer(PostgresServer.FleetSettings(connectionString));
        using var second = new FleetServer(PostgresServer.FleetSettings(connectionString));
        string[] hostnames = ["takeover-1", "takeover-2", "takeover-3"];
        foreach (var hostname in hostnames) await second.StartAcceptedAgentAsync(hostname);
        // The first instance's engine dies (its kicks and sweeps with it) while the instance still takes requests.
        await first.Get<ExecutionEngine>().StopAsync(CancellationToken.None);

        var id = await first.RunAsync("echo taken over", "name ~ takeover-");
        // Nobody kicks it: the second instance's periodic check finds it quiet with runs queued and dispatches them.
        var results = await first.WaitForEndAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(hostnames.Order(), results.Select(r => r.Hostname).Order());
        Assert.All(results, r => Assert.Equal(TargetRunStatus.Success, r.Status));
        Assert.All(results, r => Assert.Equal("taken over\n", r.Stdout));
    }
}
