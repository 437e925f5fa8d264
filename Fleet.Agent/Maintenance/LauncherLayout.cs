using System.Globalization;
using System.Text;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Maintenance;

/// <summary>
/// The installation install.sh makes, seen from the agent inside it: <c>&lt;prefix&gt;/versions/&lt;version&gt;/fleet-agent</c>
/// run by <c>&lt;prefix&gt;/bin/fleet-agent-launcher</c>. The agent and the launcher talk through three small files in
/// <c>&lt;prefix&gt;/update/</c>, plain <c>key=value</c> lines a shell script reads: <c>request</c> (agent → launcher: switch
/// to this version), <c>health</c> (agent → launcher: this version was accepted by the server) and <c>report</c> (launcher →
/// agent: the switch failed, and why).
/// </summary>
public sealed record LauncherLayout(string Prefix, string CurrentVersion)
{
    /// <summary>The exit code that tells the launcher a request is waiting (any other code is a crash, restarted with backoff).</summary>
    public const int HandOverExitCode = 100;

    /// <summary>Set by the launcher for the agents it starts: without it nobody would start the next version.</summary>
    public const string LauncherVariable = "FLEET_LAUNCHER";

    public const string ExecutableName = "fleet-agent";

    public string RequestFile => Path.Combine(Prefix, "update", "request");
    public string ReportFile => Path.Combine(Prefix, "update", "report");
    public string HealthFile => Path.Combine(Prefix, "update", "health");

    public string FolderOf(string version) => Path.Combine(Prefix, "versions", version);

    public string ExecutableOf(string version) => Path.Combine(FolderOf(version), ExecutableName);

    /// <summary>This process's layout, or null when it was not started from install.sh's layout by its launcher.</summary>
    public static LauncherLayout? OfThisProcess() =>
        Detect(Environment.ProcessPath, Environment.GetEnvironmentVariable(LauncherVariable));

    public static LauncherLayout? Detect(string? executablePath, string? launcherVariable)
    {
        if (string.IsNullOrEmpty(executablePath) || string.IsNullOrEmpty(launcherVariable)) return null;
        if (Path.GetFileName(executablePath) != ExecutableName) return null;
        var versionFolder = Path.GetDirectoryName(executablePath);
        var versions = Path.GetDirectoryName(versionFolder);
        if (versionFolder is null || versions is null || Path.GetFileName(versions) != "versions") return null;
        var prefix = Path.GetDirectoryName(versions);
        var version = Path.GetFileName(versionFolder);
        if (prefix is null || !AgentPackageVersions.IsValid(version)) return null;
        return File.Exists(Path.Combine(prefix, "bin", "fleet-agent-launcher")) ? new LauncherLayout(prefix, version) : null;
    }

    public void WriteRequest(HandoverRequest request) => WriteAtomically(RequestFile, new Dictionary<string, string>
    {
        ["kind"] = request.Kind,
        ["to"] = request.To,
        ["from"] = request.From,
        ["command"] = request.CommandId.ToString("D"),
        ["deadline"] = request.DeadlineSeconds.ToString(CultureInfo.InvariantCulture),
    });

    public HandoverRequest? ReadRequest()
    {
        var values = ReadValues(RequestFile);
        if (values is null || !Guid.TryParse(values.GetValueOrDefault("command"), out var command)) return null;
        var deadline = int.TryParse(values.GetValueOrDefault("deadline"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
        return new HandoverRequest(values.GetValueOrDefault("kind") ?? "update", values.GetValueOrDefault("to") ?? "",
            values.GetValueOrDefault("from") ?? "", command, deadline);
    }

    public RollbackReport? ReadReport()
    {
        var values = ReadValues(ReportFile);
        if (values is null || !Guid.TryParse(values.GetValueOrDefault("command"), out var command)) return null;
        return new RollbackReport(command, values.GetValueOrDefault("kind") ?? "update", values.GetValueOrDefault("to") ?? "",
            values.GetValueOrDefault("from") ?? "", values.GetValueOrDefault("reason") ?? "no reason given");
    }

    public void DeleteReport() => File.Delete(ReportFile);

    /// <summary>Tells the launcher this version is healthy: the server accepted it.</summary>
    public void WriteHealth() => WriteAtomically(HealthFile, CurrentVersion + "\n");

    private static Dictionary<string, string>? ReadValues(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var equals = line.IndexOf('=');
            if (equals > 0) values[line[..equals]] = line[(equals + 1)..];
        }
        return values;
    }

    private static void WriteAtomically(string path, Dictionary<string, string> values)
    {
        var text = new StringBuilder();
        // One value per line: a line break inside a value would forge another key.
        foreach (var (key, value) in values) text.Append(key).Append('=').Append(value.ReplaceLineEndings(" ")).Append('\n');
        WriteAtomically(path, text.ToString());
    }

    private static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>Agent → launcher: switch from <see cref="From"/> to <see cref="To"/> for command <see cref="CommandId"/>.</summary>
/// <param name="Kind"><c>update</c> or <c>rollback</c>.</param>
/// <param name="DeadlineSeconds">How long <see cref="To"/> has to be accepted by the server before the launcher switches back.</param>
public sealed record HandoverRequest(string Kind, string To, string From, Guid CommandId, int DeadlineSeconds);

/// <summary>Launcher → agent: the switch to <see cref="To"/> failed for <see cref="Reason"/>, and <see cref="From"/> runs again.</summary>
public sealed record RollbackReport(Guid CommandId, string Kind, string To, string From, string Reason);
