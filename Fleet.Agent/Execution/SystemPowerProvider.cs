using System.ComponentModel;
using System.Diagnostics;

namespace Fleet.Agent.Execution;

/// <summary>Asks systemd to reboot or power off this machine.</summary>
public sealed class SystemPowerProvider : IPowerProvider
{
    public async Task RequestAsync(PowerAction action, TimeSpan delay, string? message, bool force)
    {
        var (file, arguments) = CommandFor(action, delay, message, force);
        await RunAsync(file, arguments);
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

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var commandLine = $"{file} {string.Join(' ', arguments)}";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{commandLine}'.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start '{commandLine}': {e.Message}", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"'{commandLine}' did not answer within 30 s.");
            }
            if (process.ExitCode != 0)
            {
                var said = ((await stderr).Trim() + " " + (await stdout).Trim()).Trim();
                throw new InvalidOperationException($"'{commandLine}' failed with exit code {process.ExitCode}{(said.Length > 0 ? ": " + said : ".")}");
            }
        }
    }
}
