using System.Diagnostics;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Fleet.Tests.Engine.Execution;

/// <summary>A real agent process SIGKILLed mid-command: its run fails "agent lost" soon after, not at the execution timeout.</summary>
public sealed class LostAgentTests(ITestOutputHelper output) : IDisposable
{
    private const int LostAfterSeconds = 3;

    private readonly FleetServer _server = new(new Dictionary<string, string?>
    {
        ["Fleet:Agents:AutoApprove"] = "true",
        ["Fleet:Agents:LostAfterSeconds"] = LostAfterSeconds.ToString(),
    });

    public void Dispose() => _server.Dispose();

    private async Task<TargetRun> RunAsync(long invocationId)
    {
        await using var db = _server.Db();
        return await db.TargetRuns.AsNoTracking().SingleAsync(r => r.InvocationId == invocationId);
    }

    [Fact]
    public async Task AgentKilledMidCommand_RunFailsAsAgentLostWithinLostAfterSecondsPlus30()
    {
        using var agent = AgentProcess.Start(_server.Address, FleetServer.EnrollmentToken, Path.Combine(_server.DataDirectory, "lost-agent"), "machine-lost-01", "lost-01");
        await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            return await db.Hosts.AsNoTracking().AnyAsync(h => h.MachineId == "machine-lost-01" && h.Connectivity == Fleet.Domain.Hosts.HostConnectivity.Online);
        }, online => online, "the agent process online", TimeSpan.FromSeconds(60));

        // An hour-long execution timeout: before this change the run stayed running for 61 minutes.
        var id = await _server.RunAsync("sleep 600", "name = lost-01", timeoutSeconds: 3600);
        await Eventually.Until(() => RunAsync(id), r => r.Status == TargetRunStatus.Running, "the command running", TimeSpan.FromSeconds(30));

        agent.Kill();
        var killed = Stopwatch.StartNew();
        var failed = await Eventually.Until(() => RunAsync(id), r => r.IsFinal, "the run to end", TimeSpan.FromSeconds(LostAfterSeconds + 30));
        killed.Stop();

        Assert.Equal(TargetRunStatus.Failure, failed.Status);
        Assert.StartsWith(LostAgentSweep.Reason, failed.Reason);
        Assert.InRange(killed.Elapsed, TimeSpan.FromSeconds(LostAfterSeconds - 0.5), TimeSpan.FromSeconds(LostAfterSeconds + 30));
        output.WriteLine($"lost-agent: run failed {killed.Elapsed.TotalSeconds:0.0} s after SIGKILL (LostAfterSeconds={LostAfterSeconds})");
        await using var db = _server.Db();
        var command = await db.Commands.AsNoTracking().SingleAsync(c => c.Id == failed.CommandId);
        Assert.Equal(CommandStatus.Failure, command.Status);
    }
}
