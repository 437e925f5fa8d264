using System.Diagnostics;
using System.Text.RegularExpressions;
using Fleet.Agent.Maintenance;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Fleet.Tests.Agent.Maintenance;

/// <summary>
/// The installer's side of REMOTE_INSTALL against a real OpenSSH server on 127.0.0.2 and 127.0.0.3 (two "machines"), with
/// a real Fleet server the installed agents enrol with.
/// </summary>
[Collection(SshServerCollection.Name)]
public sealed partial class RemoteAgentInstallActionTests(SshServer sshd, ITestOutputHelper output) : IDisposable
{
    private const string EnrolmentSecret = "remote-install-enrolment-secret-7f3a";
    private static readonly AgentPackageRef AnyPackage = new("9.9.9", new string('0', 64), 1);
    private readonly FleetServer _server = new();
    private readonly InstalledAgents _installed = new();

    public void Dispose()
    {
        _installed.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task ByPassword_AsAUserWithoutRoot_InstallsAnAgentThatEnrolsAndComesOnline()
    {
        using var run = new MaintenanceRun(_server.Address);
        var home = sshd.CreateFolderOwnedByPasswordUser("by-password");
        var machineId = "remote-by-password-" + Guid.NewGuid().ToString("N")[..8];
        var install = new AgentInstallArgs(FleetServer.EnrollmentToken, _server.Address.ToString(), _installed.Track(home + "/opt/fleet-agent"),
            "remote-by-password", machineId, home + "/state");
        var order = new RemoteAgentInstallOrder(SshServer.FirstAddress.ToString(), sshd.Port, SshServer.PasswordUser, sshd.Password, false,
            await ServedPackageAsync(), install);

        var clock = Stopwatch.StartNew();
        var outcome = await new RemoteAgentInstallAction().RunAsync(AgentMaintenanceJson.Write(order), run.Context, CancellationToken.None);

        Assert.True(outcome is { Status: CommandStatus.Success }, $"{outcome?.Error}\n{run.Output}\n{sshd.Log}");
        Assert.Contains($"Running the install script as {SshServer.PasswordUser}, without root", run.Output);
        await HostOnlineAsync(machineId, clock, run);
        Assert.Equal(SshServer.PasswordUser, OwnerOf(Path.Combine(home, "opt/fleet-agent/launcher.pid")));
        AssertSecretsHidden(run.Output, sshd.Password, FleetServer.EnrollmentToken);
        AssertRemoteFolderRemoved(run.Output);
    }

    [Fact]
    public async Task ByPemKey_AsRoot_InstallsAnAgentThatEnrolsAndComesOnline()
    {
        using var run = new MaintenanceRun(_server.Address);
        var home = Directory.CreateTempSubdirectory("fleet-remote-root-").FullName;
        try
        {
            var machineId = "remote-by-key-" + Guid.NewGuid().ToString("N")[..8];
            var install = new AgentInstallArgs(FleetServer.EnrollmentToken, _server.Address.ToString(), _installed.Track(home + "/opt/fleet-agent"),
                "remote-by-key", machineId, home + "/state");
            var order = new RemoteAgentInstallOrder(SshServer.SecondAddress.ToString(), sshd.Port, "root", sshd.RootPrivateKeyPem, true,
                await ServedPackageAsync(), install);

            var clock = Stopwatch.StartNew();
            var outcome = await new RemoteAgentInstallAction().RunAsync(AgentMaintenanceJson.Write(order), run.Context, CancellationToken.None);

            Assert.True(outcome is { Status: CommandStatus.Success }, $"{outcome?.Error}\n{run.Output}\n{sshd.Log}");
            Assert.Contains("Running the install script as root", run.Output);
            await HostOnlineAsync(machineId, clock, run);
            AssertSecretsHidden(run.Output, sshd.RootPrivateKeyPem, FleetServer.EnrollmentToken);
            AssertRemoteFolderRemoved(run.Output);
        }
        finally
        {
            _installed.Dispose();
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task InstallScriptFails_ReportsItsExitCodeAndLastErrorLine()
    {
        using var run = new MaintenanceRun(_server.Address);
        // A prefix the unprivileged user may not write: install.sh stops at its first mkdir.
        var install = new AgentInstallArgs(FleetServer.EnrollmentToken, _server.Address.ToString(), "/proc/fleet-cannot-write-here",
            "remote-fails", "remote-fails", "/proc/fleet-cannot-write-here-either");
        var order = new RemoteAgentInstallOrder(SshServer.FirstAddress.ToString(), sshd.Port, SshServer.PasswordUser, sshd.Password, false,
            await ServedPackageAsync(), install);

        var outcome = await new RemoteAgentInstallAction().RunAsync(AgentMaintenanceJson.Write(order), run.Context, CancellationToken.None);

        Assert.NotNull(outcome);
        Assert.Equal(CommandStatus.Failure, outcome.Status);
        Assert.Equal(1, outcome.ExitCode);
        Assert.StartsWith($"install.sh failed with exit code 1 on {SshServer.PasswordUser}@127.0.0.2:{sshd.Port}: fleet-agent install: error: could not create", outcome.Error);
        AssertRemoteFolderRemoved(run.Output);
    }

    [Fact]
    public async Task WrongPassword_FailsWithAuthenticationFailed_AndThePasswordAppearsNowhere()
    {
        using var run = new MaintenanceRun(_server.Address);
        var wrongPassword = sshd.Password + "-not";
        var order = new RemoteAgentInstallOrder(SshServer.FirstAddress.ToString(), sshd.Port, SshServer.PasswordUser, wrongPassword, false, AnyPackage,
            new AgentInstallArgs(EnrolmentSecret));

        var outcome = await new RemoteAgentInstallAction().RunAsync(AgentMaintenanceJson.Write(order), run.Context, CancellationToken.None);

        Assert.NotNull(outcome);
        Assert.Equal(CommandStatus.Failure, outcome.Status);
        Assert.Equal($"Authentication failed for {SshServer.PasswordUser}@127.0.0.2:{sshd.Port}.", outcome.Error);
        foreach (var secret in new[] { wrongPassword, sshd.Password, EnrolmentSecret })
        {
            Assert.DoesNotContain(secret, run.Output);
            Assert.DoesNotContain(secret, outcome.Error);
        }
    }

    [Fact]
    public async Task NothingListensOnThePort_FailsWithConnectionRefused()
    {
        using var run = new MaintenanceRun(_server.Address);
        var closedPort = ProgramProcess.FreePort();
        var order = new RemoteAgentInstallOrder("127.0.0.1", closedPort, "root", "irrelevant-password", false, AnyPackage, new AgentInstallArgs(EnrolmentSecret));

        var outcome = await new RemoteAgentInstallAction().RunAsync(AgentMaintenanceJson.Write(order), run.Context, CancellationToken.None);

        Assert.NotNull(outcome);
        Assert.Equal(CommandStatus.Failure, outcome.Status);
        Assert.StartsWith($"Connection refused by root@127.0.0.1:{closedPort}", outcome.Error);
    }

    [Fact]
    public async Task HostKeyDiffersFromTheOneRememberedAtFirstUse_RefusesBeforeAuthenticating()
    {
        using var run = new MaintenanceRun(_server.Address);
        var host = SshKnownHosts.HostOf(SshServer.FirstAddress.ToString(), sshd.Port);
        var impostorFingerprint = "SHA256:" + new string('A', 43);
        File.WriteAllText(Path.Combine(run.StateDir, SshKnownHosts.FileName), $"{host} ssh-ed25519 {impostorFingerprint}\n");
        var order = new RemoteAgentInstallOrder(SshServer.FirstAddress.ToString(), sshd.Port, SshServer.PasswordUser, sshd.Password, false, AnyPackage,
            new AgentInstallArgs(EnrolmentSecret));

        var outcome = await new RemoteAgentInstallAction().RunAsync(AgentMaintenanceJson.Write(order), run.Context, CancellationToken.None);

        Assert.NotNull(outcome);
        Assert.Equal(CommandStatus.Failure, outcome.Status);
        Assert.Contains($"The host key of {host} changed: it was {impostorFingerprint}", outcome.Error);
        Assert.DoesNotContain(sshd.Password, outcome.Error + run.Output);
    }

    [Fact]
    public async Task FirstConnection_SaysTheHostKeyFingerprintAndRemembersIt()
    {
        using var run = new MaintenanceRun(_server.Address);
        var order = new RemoteAgentInstallOrder(SshServer.SecondAddress.ToString(), sshd.Port, SshServer.PasswordUser, sshd.Password + "x", false, AnyPackage,
            new AgentInstallArgs(EnrolmentSecret));

        await new RemoteAgentInstallAction().RunAsync(AgentMaintenanceJson.Write(order), run.Context, CancellationToken.None);

        Assert.Contains($"Host key of 127.0.0.3:{sshd.Port}: ssh-ed25519 {sshd.HostKeyFingerprint} (first seen: trusted and remembered)", run.Output);
        var remembered = File.ReadAllText(Path.Combine(run.StateDir, SshKnownHosts.FileName));
        Assert.Equal($"{SshKnownHosts.HostOf("127.0.0.3", sshd.Port)} ssh-ed25519 {sshd.HostKeyFingerprint}\n", remembered);
    }

    /// <summary>The package the server offers by default: the agent built with the server (NativeAOT, one file).</summary>
    private async Task<AgentPackageRef> ServedPackageAsync()
    {
        var package = await _server.Get<IAgentPackages>().ForVersionTypeAsync(null);
        return package?.Ref ?? throw new InvalidOperationException("The test server offers no agent package: Fleet.Web's build publishes it (needs clang).");
    }

    private async Task HostOnlineAsync(string machineId, Stopwatch sinceSent, MaintenanceRun run)
    {
        await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            return await db.Hosts.AsNoTracking().AnyAsync(h => h.MachineId == machineId && h.Connectivity == Fleet.Domain.Hosts.HostConnectivity.Online);
        }, online => online, $"host {machineId} online\n{run.Output}", TimeSpan.FromSeconds(90));
        output.WriteLine($"RemoteAgentInstall sent -> host {machineId} online: {sinceSent.Elapsed.TotalSeconds:0.00} s");
    }

    private static void AssertSecretsHidden(string said, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, said);
            foreach (var line in secret.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Length >= 16)) Assert.DoesNotContain(line, said);
        }
    }

    /// <summary>The target is this machine, so the folder the installer named must be gone from it.</summary>
    private static void AssertRemoteFolderRemoved(string said)
    {
        var folder = RemoteFolder().Match(said);
        Assert.True(folder.Success, said);
        Assert.False(Directory.Exists(folder.Groups[1].Value), $"{folder.Groups[1].Value} is still there");
    }

    [GeneratedRegex(@"Copying the package and install\.sh to [0-9.]+:(/tmp/fleet-install\.[A-Za-z0-9]+)")]
    private static partial Regex RemoteFolder();

    private static string OwnerOf(string path)
    {
        var start = new ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true };
        using var stat = Process.Start(start)!;
        var owner = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return owner;
    }
}
