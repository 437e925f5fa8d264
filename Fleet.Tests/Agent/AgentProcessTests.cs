using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Agent;

/// <summary>The agent executable's contract with systemd: a refusal is exit code 2 (do not restart), not a crash.</summary>
public sealed class AgentProcessTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:Agents:AutoApprove"] = "true" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task WrongEnrolmentTokenUnderAutoApprove_AgentProcessIsRefusedAndExitsWith2()
    {
        using var agent = AgentProcess.Start(_server.Address, "wrong-token", Path.Combine(_server.DataDirectory, "proc-agent"), "machine-proc", "proc-01");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent.Process.WaitForExitAsync(timeout.Token);
        Assert.True(2 == agent.Process.ExitCode, $"exit code {agent.Process.ExitCode}; log:\n{agent.Log}");
        Assert.Contains("refused", agent.Log);
        await using var db = _server.Db();
        Assert.DoesNotContain(db.Hosts, h => h.MachineId == "machine-proc");
    }
}
