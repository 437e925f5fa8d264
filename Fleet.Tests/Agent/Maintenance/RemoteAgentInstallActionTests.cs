using Fleet.Agent.Maintenance;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Agent.Maintenance;

/// <summary>
/// The installer's side of REMOTE_INSTALL against a real OpenSSH server on 127.0.0.2 and 127.0.0.3 (two "machines"), with
/// a real Fleet server the installed agents enrol with.
/// </summary>
[Collection(SshServerCollection.Name)]
public sealed class RemoteAgentInstallActionTests(SshServer sshd) : IDisposable
{
    private const string EnrolmentSecret = "remote-install-enrolment-secret-7f3a";
    private static readonly AgentPackageRef AnyPackage = new("9.9.9", new string('0', 64), 1);
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

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
}
