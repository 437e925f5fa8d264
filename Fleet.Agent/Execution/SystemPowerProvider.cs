namespace Fleet.Agent.Execution;

/// <summary>Asks systemd to reboot or power off this machine.</summary>
public sealed class SystemPowerProvider : IPowerProvider
{
    public async Task RequestAsync(PowerAction action, TimeSpan delay, string? message, bool force)
    {
        var (file, arguments) = CommandFor(action, delay, message, force);
        await CliRunner.RunAsync(file, arguments, TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    /// <summary>
    /// <c>shutdown +M</c> when there is a delay, because it warns logged-in users and can be called off with <c>shutdown -c</c>;
    /// <c>shutdown</c> only counts whole minutes, so the delay is rounded up. A forced request skips the orderly stop of
    /// services, which only <c>systemctl --force</c> offers, so a delayed forced one goes through a transient systemd timer.
    /// </summary>
    public static (string File, IReadOnlyList<string> Arguments) CommandFor(PowerAction action, TimeSpan delay, string? message, bool force)
    {
        var verb = action == PowerAction.Reboot ? "reboot" : "poweroff";
        if (delay <= TimeSpan.Zero)
            return ("systemctl", force ? [verb, "--force"] : [verb]);
        if (force)
            return ("systemd-run", [$"--on-active={(int)Math.Ceiling(delay.TotalSeconds)}s", "systemctl", verb, "--force"]);
        var minutes = (int)Math.Ceiling(delay.TotalMinutes);
        List<string> arguments = [action == PowerAction.Reboot ? "-r" : "-h", $"+{minutes}"];
        if (!string.IsNullOrWhiteSpace(message)) arguments.Add(message);
        return ("shutdown", arguments);
    }
}
