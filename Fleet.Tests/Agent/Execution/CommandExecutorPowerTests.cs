using Fleet.Agent.Execution;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Agent.Execution;

/// <summary>Reboot and shutdown commands, through the sandbox provider: nothing here touches the machine.</summary>
public sealed class CommandExecutorPowerTests : IDisposable
{
    private readonly ExecutorTestContext _context = new();

    public void Dispose() => _context.Dispose();

    private sealed class RefusingPowerProvider : IPowerProvider
    {
        public Task RequestAsync(PowerAction action, TimeSpan delay, string? message, bool force) =>
            throw new InvalidOperationException("'shutdown -r +1' failed with exit code 1: Failed to connect to bus");
    }

    [Fact]
    public async Task Reboot_WithSandboxProvider_InvokesCallbackAfterTheDelayAndReportsSuccess()
    {
        var requestedAt = DateTimeOffset.UtcNow;
        var callback = new TaskCompletionSource<(PowerAction Action, TimeSpan Delay, DateTimeOffset At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var power = new SandboxPowerProvider(_context.StateDir.FullName, (action, delay) =>
        {
            callback.TrySetResult((action, delay, DateTimeOffset.UtcNow));
            return Task.CompletedTask;
        });
        var request = new CommandRequest(Guid.NewGuid(), CommandKind.Reboot, """{"delay_seconds":1,"message":"kernel update","force":false}""", null, 30);

        var result = await _context.RunAsync(_context.NewExecutor(power), request);

        Assert.Equal(CommandStatus.Success, result.Outcome);
        Assert.Equal("Reboot scheduled in 1 s\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
        var invoked = await callback.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(PowerAction.Reboot, invoked.Action);
        Assert.Equal(TimeSpan.FromSeconds(1), invoked.Delay);
        Assert.True(invoked.At - requestedAt >= TimeSpan.FromMilliseconds(900), $"called after {invoked.At - requestedAt}");
        Assert.Contains("reboot delay=1s force=false message=kernel update", File.ReadAllText(_context.PathIn("sandbox-power.log")));
    }

    [Fact]
    public async Task Shutdown_WithoutOptions_IsRequestedAtOnce()
    {
        var callback = new TaskCompletionSource<(PowerAction, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var power = new SandboxPowerProvider(_context.StateDir.FullName, (action, delay) =>
        {
            callback.TrySetResult((action, delay));
            return Task.CompletedTask;
        });
        var request = new CommandRequest(Guid.NewGuid(), CommandKind.Shutdown, "", null, 30);

        var result = await _context.RunAsync(_context.NewExecutor(power), request);

        Assert.Equal(CommandStatus.Success, result.Outcome);
        Assert.Equal("Shutdown requested now\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
        Assert.Equal((PowerAction.Shutdown, TimeSpan.Zero), await callback.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Reboot_ProviderRefuses_ReportsFailureWithItsMessage()
    {
        var request = new CommandRequest(Guid.NewGuid(), CommandKind.Reboot, """{"delay_seconds":60}""", null, 30);

        var result = await _context.RunAsync(_context.NewExecutor(new RefusingPowerProvider()), request);

        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Equal("'shutdown -r +1' failed with exit code 1: Failed to connect to bus", result.Error);
    }

    [Fact]
    public async Task Reboot_OptionsNotJson_ReportsFailureWithoutRequesting()
    {
        var request = new CommandRequest(Guid.NewGuid(), CommandKind.Reboot, "in five minutes", null, 30);

        var result = await _context.RunAsync(_context.NewExecutor(new RefusingPowerProvider()), request);

        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.StartsWith("Invalid reboot options: ", result.Error);
    }
}
