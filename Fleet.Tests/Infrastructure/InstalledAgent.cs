using System.Diagnostics;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// An agent installed by the server's real install.sh (run with dash, as /bin/sh is on Debian) under a temporary prefix,
/// supervised by its real launcher (<c>--no-systemd</c>). Dispose kills the launcher and every process of its session
/// (the agent versions it started), by their ids.
/// </summary>
public sealed class InstalledAgent : IDisposable
{
    private InstalledAgent(DirectoryInfo root, string hostname, string machineId)
    {
        Root = root;
        Hostname = hostname;
        MachineId = machineId;
    }

    public DirectoryInfo Root { get; }
    public string Hostname { get; }
    public string MachineId { get; }
    public string Prefix => Path.Combine(Root.FullName, "opt", "fleet-agent");
    public string StateDir => Path.Combine(Root.FullName, "state");

    /// <summary>The version <c>current</c> points at.</summary>
    public string CurrentVersion => Path.GetFileName(new FileInfo(Path.Combine(Prefix, "current")).LinkTarget ?? "");

    public string LauncherLog => File.Exists(Path.Combine(Prefix, "launcher.log")) ? File.ReadAllText(Path.Combine(Prefix, "launcher.log")) : "";

    public IReadOnlyList<string> InstalledVersions =>
        Directory.EnumerateDirectories(Path.Combine(Prefix, "versions")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>Downloads install.sh from <paramref name="server"/> and runs it for <paramref name="version"/>; throws with its output if it fails.</summary>
    public static async Task<InstalledAgent> InstallAsync(FleetServer server, string version, string hostname)
    {
        var agent = new InstalledAgent(Directory.CreateTempSubdirectory("fleet-install-"), hostname, "machine-" + hostname);
        try
        {
            using var anonymous = server.Api(token: null);
            var script = Path.Combine(agent.Root.FullName, "install.sh");
            await File.WriteAllTextAsync(script, await anonymous.GetStringAsync("/agent/install.sh"));
            var (code, output) = await RunAsync("dash", script, "--server", server.Address.ToString(), "--token", FleetServer.EnrollmentToken,
                "--version", version, "--prefix", agent.Prefix, "--state-dir", agent.StateDir, "--hostname", hostname,
                "--machine-id", agent.MachineId, "--no-systemd");
            if (code != 0) throw new InvalidOperationException($"install.sh exited with {code}:\n{output}");
            return agent;
        }
        catch
        {
            agent.Dispose();
            throw;
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    public int? LauncherPid => ReadPid("launcher.pid");

    private int? ReadPid(string file)
    {
        var path = Path.Combine(Prefix, file);
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid) ? pid : null;
    }

    public void Dispose()
    {
        // The launcher runs in its own session (setsid): it and every agent it started share its pid as their session id.
        if (LauncherPid is { } launcher && IsOurs(launcher)) KillLauncherSession(launcher);
        if (ReadPid("agent.pid") is { } agent && IsOurs(agent)) Kill(agent);
        try
        {
            Root.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Only a process started from this installation's prefix is ever killed.</summary>
    private bool IsOurs(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(Prefix, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Kills a launcher started by install.sh (setsid) and every process of its session: the agents it started.</summary>
    public static void KillLauncherSession(int launcher)
    {
        Kill(launcher);
        foreach (var pid in SessionMembers(launcher)) Kill(pid);
    }

    private static IEnumerable<int> SessionMembers(int session)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // pid (comm) state ppid pgrp session ...: the name may hold spaces, so count from its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 3 && int.TryParse(fields[3], out var sid) && sid == session) yield return pid;
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
