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
            // The process's own Dispose leaves the streams it handed out open: they are closed with it here.
            using var output = process.StandardOutput;
            using var error = process.StandardError;
            var stdout = output.ReadToEndAsync(ct);
            var stderr = error.ReadToEndAsync(ct);
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

    /// <summary>
    /// Runs a tool whose output is worth watching live (an install script): each line of stdout and stderr goes to
    /// <paramref name="onLine"/> as it comes. Cancelling kills the tool and everything it started.
    /// </summary>
    /// <returns>The tool's exit code.</returns>
    /// <exception cref="InvalidOperationException">The tool could not be started.</exception>
    public static async Task<int> RunStreamingAsync(string file, IReadOnlyList<string> arguments, Func<string, Task> onLine, CancellationToken ct,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{file}'.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start '{file}': {e.Message}", e);
        }
        using (process)
        {
            // Nothing is typed into an install: a tool that asks a question reads end-of-file instead of waiting forever.
            process.StandardInput.Close();
            var gate = new SemaphoreSlim(1, 1);
            async Task PumpAsync(StreamReader reader)
            {
                while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
                {
                    await gate.WaitAsync(CancellationToken.None);
                    try
                    {
                        await onLine(line);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            using var output = process.StandardOutput;
            using var error = process.StandardError;
            var pumps = Task.WhenAll(PumpAsync(output), PumpAsync(error));
            try
            {
                await process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            // A tool that leaves a daemon behind holding its output open must not hold the caller too: after the exit,
            // what is still buffered gets a moment to arrive, and then the exit code is what counts.
            await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            return process.ExitCode;
        }
    }
}
