using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Fleet.Agent.Execution;

/// <summary>How a script command becomes a process: which interpreter, which user, which environment.</summary>
internal static partial class ScriptLaunch
{
    private const string ScriptFileName = "script";

    /// <summary>The portable user name of useradd(8); nothing in it can be read by runuser or chown as an option.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_-]*[$]?$")]
    private static partial Regex UserNamePattern();

    public static bool IsValidUserName(string user) => user.Length <= 32 && UserNamePattern().IsMatch(user);

    public static bool NeedsUserSwitch(string? effectiveUser) =>
        !string.IsNullOrEmpty(effectiveUser) && effectiveUser != Environment.UserName;

    /// <summary>The effective uid from <c>/proc/self/status</c>: no native interop, and not fooled by a root account with another name.</summary>
    public static bool IsRoot { get; } = ReadEffectiveUid() == 0;

    private static long? ReadEffectiveUid()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 2 } && long.TryParse(fields[2], out var uid) ? uid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Writes the script where only the user who runs it (and root) can read it.</summary>
    public static string WriteScript(DirectoryInfo workDir, string script)
    {
        var path = Path.Combine(workDir.FullName, ScriptFileName);
        File.WriteAllText(path, script, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Hands the work directory to <paramref name="user"/>. Returns why not (e.g. no such user), or null.</summary>
    public static async Task<string?> GiveToAsync(string user, DirectoryInfo workDir)
    {
        var start = new ProcessStartInfo("chown") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-R", user, workDir.FullName }) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            // The process's own Dispose leaves the streams it handed out open: they are closed with it here.
            using var error = process.StandardError;
            using var output = process.StandardOutput;
            var stderr = error.ReadToEndAsync();
            await output.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : (await stderr).Trim() is { Length: > 0 } said ? said : $"chown exited with code {process.ExitCode}.";
        }
        catch (Win32Exception e)
        {
            return $"could not run chown: {e.Message}";
        }
    }

    /// <summary>
    /// Runs the script through its interpreter rather than executing the file: that works where the temporary directory is
    /// mounted noexec, and avoids "text file busy" when another thread forks while the file is still open for writing.
    /// The shebang is read the way Linux reads it: an interpreter and at most one argument.
    /// </summary>
    public static ProcessStartInfo StartInfo(string scriptPath, string script, string? switchToUser, Guid commandId, DirectoryInfo workDir, string? toolPath = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
            WorkingDirectory = workDir.FullName,
        };
        List<string> command = [.. Interpreter(script), scriptPath];
        if (switchToUser is not null)
        {
            start.FileName = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(switchToUser);
            start.ArgumentList.Add("--");
        }
        else
        {
            start.FileName = command[0];
            command.RemoveAt(0);
        }
        foreach (var argument in command) start.ArgumentList.Add(argument);

        // The agent's own settings (enrollment token, server address) are none of the script's business.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("FLEET_AGENT_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["FLEET_COMMAND_ID"] = commandId.ToString();
        if (!string.IsNullOrEmpty(toolPath)) start.Environment["PATH"] = toolPath + ":" + (start.Environment.TryGetValue("PATH", out var path) ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
        return start;
    }

    public static IReadOnlyList<string> Interpreter(string script)
    {
        if (!script.StartsWith("#!", StringComparison.Ordinal)) return ["/bin/sh"];
        var end = script.IndexOf('\n');
        var line = (end < 0 ? script[2..] : script[2..end]).Trim();
        if (line.Length == 0) return ["/bin/sh"];
        var space = line.IndexOfAny([' ', '\t']);
        return space < 0 ? [line] : [line[..space], line[(space + 1)..].Trim()];
    }
}
