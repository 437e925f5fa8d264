using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// The real agent executable (<c>dotnet Fleet.Agent.dll</c> from the agent project's own build output, which the test
/// project's reference builds), for what only a process shows: its exit code, and dying by SIGKILL.
/// </summary>
public sealed class AgentProcess : IDisposable
{
    private readonly StringBuilder _log = new();

    private AgentProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public static AgentProcess Start(Uri server, string? enrollmentToken, string stateDir, string machineId, string hostname)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { AgentDll(), "--server", server.ToString(),
                     "--state-dir", stateDir, "--machine-id", machineId, "--hostname", hostname })
            start.ArgumentList.Add(argument);
        if (enrollmentToken is not null)
        {
            start.ArgumentList.Add("--enrollment-token");
            start.ArgumentList.Add(enrollmentToken);
        }
        var agent = new AgentProcess(new Process { StartInfo = start });
        agent.Process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        agent.Process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        agent.Process.Start();
        agent.Process.BeginOutputReadLine();
        agent.Process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>
    /// The agent's own output folder, not the copy beside the tests: the copy resolves its dependencies against the test
    /// host's (ASP.NET Core) framework and cannot start on its own.
    /// </summary>
    private static string AgentDll()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tests.Parent!.Name;
        var root = tests.Parent.Parent!.Parent!.Parent!.FullName;
        var own = Path.Combine(root, "Fleet.Agent", "bin", configuration, tests.Name, "Fleet.Agent.dll");
        return File.Exists(own) ? own : throw new FileNotFoundException($"Build Fleet.Agent first: {own} is missing.");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>SIGKILL to the agent and everything it started: no goodbye reaches the server, no journal write happens.</summary>
    public void Kill()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }

    /// <summary>A loopback port nothing listens on right now, for a server that must keep its address across a restart.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
