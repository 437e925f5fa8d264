using System.Text;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Maintenance;

/// <summary>
/// The one way both installers (into a child host, onto a machine over SSH) call the server's install.sh: the package and
/// its hash, the server, the enrolment token, and only the options the order itself sets — the script decides the rest
/// (systemd or its own launcher, the default prefix and state folder).
/// </summary>
public static class InstallScriptCommand
{
    public const string ScriptName = "install.sh";
    public const string PackageName = "fleet-agent";

    /// <param name="folder">Where install.sh and the package were put on the machine that runs the script.</param>
    /// <param name="prefix">The prefix as the machine running the script sees it (a sandbox child maps the order's own).</param>
    public static IReadOnlyList<string> Arguments(string folder, AgentPackageRef package, AgentInstallArgs install, Uri connectedServer, string? prefix)
    {
        var arguments = new List<string>
        {
            "sh", Join(folder, ScriptName),
            "--package", Join(folder, PackageName),
            "--sha256", package.Sha256,
            "--server", install.ServerUrl ?? connectedServer.ToString(),
            "--token", install.EnrollmentToken,
        };
        if (prefix is not null) arguments.AddRange(["--prefix", prefix]);
        if (install.Hostname is not null) arguments.AddRange(["--hostname", install.Hostname]);
        if (install.MachineId is not null) arguments.AddRange(["--machine-id", install.MachineId]);
        return arguments;
    }

    /// <summary>One POSIX shell word per argument, each single-quoted, so no value is ever read as shell syntax.</summary>
    public static string ShellLine(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    public static string Quote(string value)
    {
        var quoted = new StringBuilder("'");
        foreach (var c in value) quoted.Append(c == '\'' ? "'\\''" : c.ToString());
        return quoted.Append('\'').ToString();
    }

    /// <summary>Paths on the machine that runs the script are POSIX paths, whatever machine the installer runs on.</summary>
    private static string Join(string folder, string name) => folder.TrimEnd('/') + "/" + name;
}

/// <summary>Hides secrets (enrolment token, password, key text) in any line before it is shown or reported.</summary>
public sealed class SecretMask(params string?[] secrets)
{
    public const string Mask = "********";
    private readonly string[] _secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).OrderByDescending(s => s.Length).ToArray();

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
            // A multi-line secret (a PEM key) can reach a line only piece by piece.
            foreach (var piece in secret.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.Length >= 16))
                text = text.Replace(piece, Mask, StringComparison.Ordinal);
        }
        return text;
    }
}
