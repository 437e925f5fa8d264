using Fleet.Agent.Execution;

namespace Fleet.Tests.Agent.Execution;

public sealed class SandboxPowerProviderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fleet-tests", "sandbox-power-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task BootId_IsKeptAcrossInstances_AndChangesOnlyWithAReboot()
    {
        var acted = new TaskCompletionSource<PowerAction>(TaskCreationOptions.RunContinuationsAsynchronously);
        var power = new SandboxPowerProvider(_dir, (action, _) => { acted.TrySetResult(action); return Task.CompletedTask; });
        var first = power.BootId;
        Assert.Equal(first, new SandboxPowerProvider(_dir, (_, _) => Task.CompletedTask).BootId);

        await power.RequestAsync(PowerAction.Reboot, TimeSpan.Zero, null, force: false);
        Assert.Equal(PowerAction.Reboot, await acted.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.NotEqual(first, power.BootId);
    }

    [Fact]
    public async Task BootId_StaysTheSame_WhenTheRebootIsOnlyActedOutAsAReconnect()
    {
        var acted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var power = new SandboxPowerProvider(_dir, (_, _) => { acted.TrySetResult(); return Task.CompletedTask; }, rebootChangesBootId: false);
        var first = power.BootId;

        await power.RequestAsync(PowerAction.Reboot, TimeSpan.Zero, null, force: false);
        await acted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(first, power.BootId);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
