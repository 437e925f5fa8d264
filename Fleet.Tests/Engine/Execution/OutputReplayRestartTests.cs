using Fleet.Agent;
using Fleet.Agent.Children;
using Fleet.Agent.Execution;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.Execution;

/// <summary>
/// Nothing lost while the server is away: a real agent whose command finishes during a server outage replays the output it
/// journalled along with the result, and the restarted server (same database, same address) shows both, without duplicates.
/// </summary>
public sealed class OutputReplayRestartTests
{
    [Fact]
    public async Task CommandFinishingWhileTheServerIsDown_OutputIsThereAfterTheRestart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "replay-" + Guid.NewGuid().ToString("N"));
        var port = AgentProcess.FreePort();
        var settings = new Dictionary<string, string?> { ["Fleet:Agents:AutoApprove"] = "true" };
        var stateDir = Path.Combine(directory, "agents", "machine-replay-01");
        using var stop = new CancellationTokenSource();
        long invocationId;
        Task run;
        AgentRunner agent;
        using (var first = new FleetServer(settings, directory, port))
        {
            // Not one of the server's own agents: it must outlive this server and find the next one at the same address.
            agent = new AgentRunner(new AgentSettings
            {
                Server = first.Address.ToString(),
                EnrollmentToken = FleetServer.EnrollmentToken,
                StateDir = stateDir,
                MaxReconnectDelay = TimeSpan.FromSeconds(1),
            }, new FixedInventorySource("replay-01"), new FileIdentityStore(stateDir), "machine-replay-01", "replay-01",
                power: new SandboxPowerProvider(stateDir, (_, _) => Task.CompletedTask), children: ChildHostCatalog.Empty);
            run = Task.Run(() => agent.RunAsync(stop.Token));
            await Eventually.Until(() => agent.IsAccepted, "the agent accepted");

            invocationId = await first.RunAsync("echo before-outage; sleep 4; echo after-outage; echo on-stderr >&2", "name = replay-01", timeoutSeconds: 60);
            // The first line reached the server live; the replay must not store it twice.
            await Eventually.Until(async () =>
            {
                await using var db = first.Db();
                return await db.OutputChunks.AsNoTracking().AnyAsync(c => c.Text.Contains("before-outage"));
            }, seen => seen, "the first line live");
        }

        // The journal has the result (and the output) the server could not receive.
        var journal = new CommandJournal(Path.Combine(stateDir, "commands"));
        await Eventually.Until(() => journal.Unacknowledged().Count == 1, "the command to finish while the server is down");

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var second = new FleetServer(settings, directory, port))
        {
            var results = await second.WaitForEndAsync(invocationId);
            var result = Assert.Single(results);
            Assert.Equal(TargetRunStatus.Success, result.Status);
            Assert.Contains("after-outage", result.Stdout);
            Assert.Contains("on-stderr", result.Stderr);
            Assert.Single(result.Stdout.Split('\n'), line => line == "before-outage");
            await Eventually.Until(() => journal.Unacknowledged().Count == 0, "the journal to forget the acknowledged result");
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
            await agent.DisposeAsync();
        }
        Directory.Delete(directory, recursive: true);
    }
}
