using Fleet.Agent.Children;
using Fleet.Agent.Execution;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Agent.Execution;

/// <summary>Child-host stops and starts sent by the server, run through the agent's providers.</summary>
public sealed class CommandExecutorChildHostTests : IDisposable
{
    private readonly ExecutorTestContext _context = new();
    private readonly SandboxChildHostProvider _sandbox;
    private int _reports;

    public CommandExecutorChildHostTests()
    {
        _sandbox = new SandboxChildHostProvider(_context.StateDir.FullName);
        _sandbox.Seed([new SandboxChild("web", "running"), new SandboxChild("bad", "stopped", FailStart: true), new SandboxChild("up", "running", FailStart: true)]);
    }

    private CommandExecutor Executor() => new(_context.StateDir.FullName, new SandboxPowerProvider(_context.StateDir.FullName, (_, _) => Task.CompletedTask),
        _context.Reporter, null, new ChildHostCatalog([_sandbox]), () =>
        {
            Interlocked.Increment(ref _reports);
            return Task.CompletedTask;
        });

    private static CommandRequest Child(CommandKind kind, string script) => new(Guid.NewGuid(), kind, script, null, 30);

    [Fact]
    public async Task ChildStop_StopsTheChild_ReportsSuccessAndTheNewState()
    {
        var result = await _context.RunAsync(Executor(), Child(CommandKind.ChildStop, """{"name":"web","type":"sandbox","timeout_seconds":5}"""));
        Assert.Equal(CommandStatus.Success, result.Outcome);
        Assert.Equal("stopped", _sandbox.Current().Single(c => c.Name == "web").Status);
        Assert.Equal(1, _reports);
    }

    [Fact]
    public async Task ChildStart_ThatFails_ReportsFailureWithTheEnginesMessage()
    {
        var result = await _context.RunAsync(Executor(), Child(CommandKind.ChildStart, """{"name":"bad","type":"sandbox","timeout_seconds":5}"""));
        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Contains("failed to start", result.Error);
        Assert.Equal("stopped", _sandbox.Current().Single(c => c.Name == "bad").Status);
    }

    [Fact]
    public async Task ChildStart_AlreadyRunning_SucceedsWithoutStartingItAgain()
    {
        // "up" would fail a start (like `lxc start` on an instance that autostarted at boot), but it already runs.
        var result = await _context.RunAsync(Executor(), Child(CommandKind.ChildStart, """{"name":"up","type":"sandbox","timeout_seconds":5}"""));
        Assert.Equal(CommandStatus.Success, result.Outcome);
        Assert.Equal("running", _sandbox.Current().Single(c => c.Name == "up").Status);
    }

    [Theory]
    [InlineData("""{"name":"web","type":"lxd","timeout_seconds":5}""", "no 'lxd' child host provider")]
    [InlineData("""{"type":"sandbox"}""", "needs the child's name")]
    [InlineData("not json", "Invalid child host action")]
    public async Task ChildAction_ThatCannotBeRun_FailsWithAReason(string script, string reason)
    {
        var result = await _context.RunAsync(Executor(), Child(CommandKind.ChildStop, script));
        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Contains(reason, result.Error);
        Assert.Equal("running", _sandbox.Current().Single(c => c.Name == "web").Status);
    }

    public void Dispose() => _context.Dispose();
}
