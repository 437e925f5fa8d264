using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// One of Fleet's own programs (server or agent) as an operating-system process, for tests that must
/// kill it the way a crash or a power cut does (SIGKILL), which an in-process server cannot show.
/// Output lines are kept so a test can wait for a line instead of sleeping.
/// </summary>
public sealed class ProgramProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ProgramProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts <c>dotnet Project.dll args</c> from that project's build output (same configuration as the tests).</summary>
    public static ProgramProcess Start(string project, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var directory = BuildOutput(project);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, project + ".dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return new ProgramProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {project}."));
    }

    /// <summary>A project's bin folder, found from the test assembly's own (…/Fleet.Tests/bin/Debug/net10.0).</summary>
    public static string BuildOutput(string project)
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = tests.Name;
        var configuration = tests.Parent!.Name;
        var root = tests.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, project, "bin", configuration, framework);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _lines);

    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, TimeSpan timeout)
    {
        string? found = null;
        await Eventually.Until(() =>
        {
            found = _lines.LastOrDefault(match);
            if (found is null && _process.HasExited) throw new InvalidOperationException($"The process ended (exit {_process.ExitCode}) before {what}:\n{Tail()}");
            return found is not null;
        }, what, timeout);
        return found!;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown handler runs, nothing is flushed.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public string Tail(int lines = 40) => string.Join('\n', _lines.TakeLast(lines));

    private void Keep(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        // Bounded: a chatty server must not fill the test host's memory.
        while (_lines.Count > 5_000) _lines.TryDequeue(out _);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
