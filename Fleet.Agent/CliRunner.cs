using System.ComponentModel;
using System.Diagnostics;

namespace Fleet.Agent;

/// <summary>Runs a system tool (container engines, systemd) and returns its standard output; anything but exit 0 is an error with what the tool said.</summary>
public static class CliRunner
{
    public static bool IsOnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, file)));

    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"'{commandLine}' did not finish within {timeout.TotalSeconds:0} s.");
            }
            if (process.ExitCode != 0)
            {
                var said = ((await stderr).Trim() + " " + (await stdout).Trim()).Trim();
                throw new InvalidOperationException($"'{commandLine}' failed with exit code {process.ExitCode}{(said.Length > 0 ? ": " + said : ".")}");
            }
            return await stdout;
        }
    }
}
