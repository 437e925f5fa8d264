using Fleet.Agent.Execution;

namespace Fleet.Tests.Agent.Execution;

/// <summary>Only the command lines: running them would take the test machine down.</summary>
public sealed class SystemPowerProviderTests
{
    [Theory]
    [InlineData(PowerAction.Reboot, 0, false, "systemctl reboot")]
    [InlineData(PowerAction.Shutdown, 0, false, "systemctl poweroff")]
    [InlineData(PowerAction.Reboot, 0, true, "systemctl reboot --force")]
    [InlineData(PowerAction.Reboot, 60, false, "shutdown -r +1 patching")]
    [InlineData(PowerAction.Shutdown, 61, false, "shutdown -h +2 patching")]
    [InlineData(PowerAction.Shutdown, 90, true, "systemd-run --on-active=90s systemctl poweroff --force")]
    public void CommandFor_BuildsTheSystemdCommandLine(PowerAction action, int delaySeconds, bool force, string expected)
    {
        var (file, arguments) = SystemPowerProvider.CommandFor(action, TimeSpan.FromSeconds(delaySeconds), "patching", force);

        Assert.Equal(expected, string.Join(' ', [file, .. arguments]));
    }
}
