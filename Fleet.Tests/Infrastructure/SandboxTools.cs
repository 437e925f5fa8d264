namespace Fleet.Tests.Infrastructure;

/// <summary>
/// The sandbox tool provider: <c>systemctl</c> and <c>apt-get</c> stand-ins that an agent started with this directory as its
/// tool path finds before the machine's own. They record every call and keep service states in files, so tests run
/// service restarts and updates for real through the agent without touching the machine.
/// </summary>
public sealed class SandboxTools : IDisposable
{
    private const string SystemCtl =
        """
        #!/bin/sh
        dir=$(dirname "$0")
        echo "systemctl $*" >> "$dir/calls.log"
        unit=${2%.service}
        case "$1" in
          restart)
            [ -e "$dir/units/$unit" ] || { echo "Failed to restart $unit.service: Unit $unit.service not found." >&2; exit 5; }
            left=$(cat "$dir/units/$unit.failures" 2>/dev/null || echo 0)
            if [ "$left" -gt 0 ]; then echo $((left - 1)) > "$dir/units/$unit.failures"; echo "Job for $unit.service failed." >&2; exit 1; fi
            touch "$dir/units/$unit.active" ;;
          is-active)
            if [ -e "$dir/units/$unit.active" ]; then echo active; else echo inactive; exit 3; fi ;;
          *) exit 0 ;;
        esac
        """;

    private const string AptGet =
        """
        #!/bin/sh
        echo "apt-get $*" >> "$(dirname "$0")/calls.log"
        echo "Reading package lists... Done"
        """;

    public SandboxTools()
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "units"));
        Write("systemctl", SystemCtl);
        Write("apt-get", AptGet);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fleet-tests", "tools-" + Guid.NewGuid().ToString("N"));

    /// <summary>A unit the sandbox knows; its first <paramref name="failures"/> restarts fail.</summary>
    public void AddUnit(string name, int failures = 0)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, "units", name), "");
        File.WriteAllText(System.IO.Path.Combine(Path, "units", name + ".failures"), failures.ToString());
    }

    public IReadOnlyList<string> Calls =>
        File.Exists(System.IO.Path.Combine(Path, "calls.log")) ? File.ReadAllLines(System.IO.Path.Combine(Path, "calls.log")) : [];

    private void Write(string name, string script)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, script.Replace("\r", "") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
