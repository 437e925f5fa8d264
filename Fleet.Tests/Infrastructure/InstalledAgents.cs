using System.Diagnostics;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// Agents that install.sh put on this machine during a test (over SSH, into a sandbox child): each runs under the
/// detached launcher whose pid is in <c>&lt;prefix&gt;/launcher.pid</c>. Disposing stops every launcher and its agent, by
/// those pids only (the prefixes lie in folders their tests delete).
/// </summary>
public sealed class InstalledAgents : IDisposable
{
    private readonly List<string> _prefixes = [];

    /// <summary>Remembers a prefix to clean up; call it before installing, so a half-finished install is cleaned up too.</summary>
    public string Track(string prefix)
    {
        lock (_prefixes) _prefixes.Add(prefix);
        return prefix;
    }

    public void Dispose()
    {
        List<string> prefixes;
        lock (_prefixes) prefixes = [.. _prefixes];
        foreach (var prefix in prefixes)
        {
            // The launcher first (it would restart its agent), then the agent, in case the launcher had no time to stop it.
            Stop(Path.Combine(prefix, "launcher.pid"));
            Stop(Path.Combine(prefix, "agent.pid"));
        }
    }

    private static void Stop(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) return;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
        }
    }
}
