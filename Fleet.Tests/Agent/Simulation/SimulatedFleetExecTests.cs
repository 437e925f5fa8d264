using Fleet.Agent;
using Fleet.Agent.Simulation;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Tests.Agent.Simulation;

/// <summary><c>simulate --exec</c>: virtual agents that run each command as a real process.</summary>
public sealed class SimulatedFleetExecTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Exec_EachVirtualAgentRunsTheCommandAsAProcess_WithItsOwnCommandId()
    {
        var settings = new AgentSettings { Server = _server.Address.ToString(), EnrollmentToken = FleetServer.EnrollmentToken };
        var fleet = new SimulatedFleet(settings, count: 3, seed: 7, rampPerSecond: 100, NullLogger.Instance, execProcesses: 2);
        using var stop = new CancellationTokenSource();
        var running = fleet.RunAsync(stop.Token);
        try
        {
            await Eventually.Until(() => fleet.Accepted == 3, "three virtual agents accepted", TimeSpan.FromSeconds(60));

            var id = await _server.RunAsync("echo \"pid=$$ id=$FLEET_COMMAND_ID\"; exit 5", "name ~ sim-7-");
            var results = await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(60));

            Assert.Equal(3, results.Count);
            Assert.All(results, r => Assert.Equal((TargetRunStatus.Failure, 5), (r.Status, r.ExitCode)));
            await using var db = _server.Db();
            var commandIds = db.TargetRuns.Where(r => r.InvocationId == id).Select(r => r.CommandId).ToList();
            // Each line names its own process and its own command: three real runs, not a scripted answer.
            Assert.Equal(commandIds.Select(c => $"id={c}").Order(), results.Select(r => r.Stdout.Trim().Split(' ')[1]).Order());
            Assert.Equal(3, results.Select(r => r.Stdout.Split(' ')[0]).Distinct().Count());
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
