using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Agent.Maintenance;

/// <summary>
/// install.sh as served, run with dash on package files given to it (as the SSH and child installs do), with a stand-in agent
/// (a script that answers <c>version</c> and otherwise waits) so these checks need no published agent.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallScriptTests : IDisposable
{
    private readonly FleetServer _server = new();
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("fleet-install-script-");
    private readonly List<int> _launchers = [];

    public void Dispose()
    {
        if (File.Exists(Path.Combine(Prefix, "launcher.pid"))) _launchers.Add(LauncherPid());
        foreach (var launcher in _launchers.Distinct()) InstalledAgent.KillLauncherSession(launcher);
        _server.Dispose();
        _root.Delete(recursive: true);
    }

    private string Prefix => Path.Combine(_root.FullName, "opt");

    [Fact]
    public async Task APackageWhoseHashDiffers_IsRefused_AndNothingIsInstalled()
    {
        var package = StandIn("1.0.0");

        var (code, output) = await InstallAsync("--package", package, "--sha256", new string('0', 64));

        Assert.NotEqual(0, code);
        Assert.Contains($"expected {new string('0', 64)}: not installed", output);
        Assert.False(Directory.Exists(Prefix));
    }

    [Fact]
    public async Task Rerunning_ReplacesTheInstallationInPlace_StopsTheOldLauncher_AndKeepsBothVersions()
    {
        var (first, firstOutput) = await InstallAsync("--package", StandIn("1.0.0"), "--sha256", await Sha256Async(StandIn("1.0.0")));
        Assert.True(first == 0, firstOutput);
        var firstLauncher = LauncherPid();
        _launchers.Add(firstLauncher);

        var (second, secondOutput) = await InstallAsync("--package", StandIn("2.0.0"), "--sha256", await Sha256Async(StandIn("2.0.0")));

        Assert.True(second == 0, secondOutput);
        var secondLauncher = LauncherPid();
        _launchers.Add(secondLauncher);
        Assert.NotEqual(firstLauncher, secondLauncher);
        await Eventually.Until(() => !Directory.Exists($"/proc/{firstLauncher}"), "the first launcher to have stopped");
        Assert.True(Directory.Exists($"/proc/{secondLauncher}"));
        Assert.Equal("versions/2.0.0", new FileInfo(Path.Combine(Prefix, "current")).LinkTarget);
        Assert.Equal(["1.0.0", "2.0.0"], Directory.EnumerateDirectories(Path.Combine(Prefix, "versions")).Select(Path.GetFileName).Order());
        Assert.Contains("installed agent 2.0.0", secondOutput);
        // The version came from the package itself (no --version), as the SSH and child installs pass it.
        var config = Path.Combine(Prefix, "agent.conf");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        var settings = await File.ReadAllTextAsync(config);
        Assert.Contains($"FLEET_AGENT_SERVER='{_server.Address.ToString().TrimEnd('/')}'", settings);
        Assert.Contains("FLEET_AGENT_ENROLLMENTTOKEN='it'\\''s-a-token'", settings);
        Assert.Contains("FLEET_AGENT_MACHINEID='install-script-test'", settings);
        // The launcher started the stand-in agent of version 2.0.0.
        await Eventually.Until(() => File.Exists(Path.Combine(Prefix, "agent.pid")) &&
                                     File.ReadAllText($"/proc/{File.ReadAllText(Path.Combine(Prefix, "agent.pid")).Trim()}/cmdline").Contains("versions/2.0.0"),
            "the launcher to run version 2.0.0");
    }

    [Fact]
    public async Task MissingOrBadOptions_StopBeforeWritingAnything_WithAClearMessage()
    {
        var cases = new (string[] Arguments, string Message)[]
        {
            (["--server", "ftp://x"], "--server must be an http:// or https:// URL"),
            (["--prefix", "relative/path"], "--prefix must be an absolute path"),
            (["--package", "/nonexistent/fleet-agent", "--sha256", new string('a', 64)], "does not exist"),
            (["--package", StandIn("1.0.0")], "--package needs --sha256"),
            (["--version", "../1"], "--version must be"),
            (["--bogus"], "unknown option '--bogus'"),
        };
        foreach (var (arguments, message) in cases)
        {
            var (code, output) = await InstallAsync(arguments);
            Assert.True(code != 0 && output.Contains(message), $"{string.Join(' ', arguments)} → {code}: {output}");
        }
        Assert.False(Directory.Exists(Prefix));
    }

    private async Task<(int Code, string Output)> InstallAsync(params string[] arguments)
    {
        var script = Path.Combine(_root.FullName, "install.sh");
        if (!File.Exists(script))
        {
            using var anonymous = _server.Api(token: null);
            await File.WriteAllTextAsync(script, await anonymous.GetStringAsync("/agent/install.sh"));
        }
        string[] common = ["--token", "it's-a-token", "--prefix", Prefix, "--state-dir", Path.Combine(_root.FullName, "state"),
            "--hostname", "install-script-test", "--machine-id", "install-script-test", "--no-systemd"];
        // Later options win, so a case's own --prefix or --server replaces the common one.
        return await InstalledAgent.RunAsync("dash", [script, .. common, .. arguments]);
    }

    /// <summary>A stand-in agent: says its version when asked, otherwise waits to be stopped.</summary>
    private string StandIn(string version)
    {
        var file = Path.Combine(_root.FullName, $"stand-in-{version}");
        if (!File.Exists(file)) File.WriteAllText(file, $"#!/bin/sh\n[ \"$1\" = version ] && {{ echo {version}; exit 0; }}\nwhile :; do sleep 1; done\n");
        return file;
    }

    private static async Task<string> Sha256Async(string file) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(file)));

    private int LauncherPid() => int.Parse(File.ReadAllText(Path.Combine(Prefix, "launcher.pid")).Trim());
}
