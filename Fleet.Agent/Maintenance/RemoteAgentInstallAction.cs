using System.Net.Sockets;
using System.Text;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Fleet.Agent.Maintenance;

/// <summary>
/// REMOTE_INSTALL (seed 003) on the designated installer: reaches a machine without an agent over SSH, copies the package
/// and install.sh there by SFTP into a private temporary folder, runs the script and streams what it says.
/// <para>
/// Privileges: a root login runs the script directly; another user runs it through <c>sudo -n</c> when it may (never asked
/// for a password: sudo's password would be one more secret on the wire); otherwise as itself, which works only when the
/// order's prefix is a folder that user may write (the script then also cannot install a systemd unit).
/// </para>
/// <para>
/// Host keys: trust on first use (see <see cref="SshKnownHosts"/>); the key's SHA-256 fingerprint is said in the output
/// every time, so an operator can compare it with the machine's <c>ssh-keygen -lf</c>.
/// </para>
/// The password, the key text and the enrolment token never reach the output or an error: each line is masked.
/// </summary>
public sealed class RemoteAgentInstallAction : IMaintenanceAction
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);
    private static readonly string[] OwnKeyNames = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public CommandKind Kind => CommandKind.RemoteAgentInstall;

    public async Task<MaintenanceOutcome?> RunAsync(string order, MaintenanceContext context, CancellationToken ct)
    {
        var remote = AgentMaintenanceJson.Read<RemoteAgentInstallOrder>(order);
        var mask = new SecretMask(remote.Password, remote.Install.EnrollmentToken);
        var target = $"{remote.UserName}@{remote.Address}:{remote.Port}";
        async Task Say(string line) => await context.Say(mask.Apply(line));

        var authentication = await AuthenticationAsync(remote, Say);
        if (authentication is null)
            return MaintenanceOutcome.Failed($"No private key was given for {target} and this agent's user has none of ~/.ssh/{string.Join(", ", OwnKeyNames)}.");

        var connection = new ConnectionInfo(remote.Address, remote.Port, remote.UserName, authentication) { Timeout = ConnectTimeout };
        var hostKeys = new HostKeyCheck(new SshKnownHosts(context.StateDir), SshKnownHosts.HostOf(remote.Address, remote.Port));
        using var ssh = new SshClient(connection);
        using var sftp = new SftpClient(connection);
        ssh.HostKeyReceived += hostKeys.OnHostKey;
        sftp.HostKeyReceived += hostKeys.OnHostKey;

        await Say($"Connecting to {target}");
        var failure = await ConnectAsync(ssh, target, hostKeys, ct);
        // Said even when authentication then fails: the operator can compare it with the machine's `ssh-keygen -lf`.
        if (hostKeys.Description.Length > 0) await Say($"Host key of {remote.Address}:{remote.Port}: {hostKeys.Description}");
        if (failure is not null) return MaintenanceOutcome.Failed(mask.Apply(failure));

        var probe = await RunQuietAsync(ssh, "umask 077 && mktemp -d /tmp/fleet-install.XXXXXXXX && id -u && if sudo -n true 2>/dev/null; then echo sudo; else echo nosudo; fi", ct);
        var facts = probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (probe.ExitCode != 0 || facts.Length < 3)
            return MaintenanceOutcome.Failed(mask.Apply($"Could not prepare a temporary folder on {target}: {probe.Output.Trim()}"), probe.ExitCode);
        var folder = facts[0];
        var elevate = facts[1] == "0" ? "" : facts[2] == "sudo" ? "sudo -n " : "";
        await Say(facts[1] == "0" ? "Running the install script as root"
            : elevate.Length > 0 ? $"Running the install script through sudo -n (logged in as {remote.UserName})"
            : $"Running the install script as {remote.UserName}, without root (no password-less sudo): it needs a prefix {remote.UserName} may write");

        try
        {
            // Connected first, downloaded second: a wrong password or an unreachable machine fails in seconds, not after a download.
            using var staged = await StagedInstall.TryDownloadAsync(remote.Package, context, ct);
            if (staged.Failure is not null) return MaintenanceOutcome.Failed(staged.Failure);
            failure = await ConnectAsync(sftp, target, hostKeys, ct);
            if (failure is not null) return MaintenanceOutcome.Failed(mask.Apply(failure));
            await Say($"Copying the package and install.sh to {remote.Address}:{folder}");
            await UploadAsync(sftp, staged.PackageFile, folder + "/" + InstallScriptCommand.PackageName, ct);
            await UploadAsync(sftp, staged.ScriptFile, folder + "/" + InstallScriptCommand.ScriptName, ct);
            sftp.Disconnect();

            var arguments = InstallScriptCommand.Arguments(folder, remote.Package, remote.Install, context.Server, remote.Install.Prefix);
            // stderr joins stdout so the output reads in the order the script wrote it, and its last error line is at hand.
            var line = $"{elevate}{InstallScriptCommand.ShellLine(arguments)} 2>&1";
            await Say($"Running install.sh on {remote.Address}");
            var (exitCode, lastLine) = await RunStreamingAsync(ssh, line, Say, ct);
            if (exitCode == 0)
            {
                await Say($"install.sh finished on {remote.Address}; the new agent enrols by itself");
                return MaintenanceOutcome.Succeeded;
            }
            var why = exitCode is null ? "install.sh ended without an exit status (killed?)" : $"install.sh failed with exit code {exitCode}";
            return MaintenanceOutcome.Failed(mask.Apply(lastLine is null ? $"{why} on {target}." : $"{why} on {target}: {lastLine}"), exitCode);
        }
        finally
        {
            await RemoveRemoteFolderAsync(ssh, elevate, folder);
        }
    }

    /// <summary>The password, the PEM key given, or this agent's own keys; null when a key is asked for and there is none.</summary>
    private static async Task<AuthenticationMethod?> AuthenticationAsync(RemoteAgentInstallOrder remote, Func<string, Task> say)
    {
        if (!remote.UsePrivateKey) return new PasswordAuthenticationMethod(remote.UserName, remote.Password ?? "");
        if (!string.IsNullOrWhiteSpace(remote.Password))
        {
            try
            {
                return new PrivateKeyAuthenticationMethod(remote.UserName, new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(remote.Password))));
            }
            catch (Exception e) when (e is SshException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
            {
                // Never the library's message: some quote the bytes they could not read.
                throw new Fleet.Domain.DomainException("The private key given is not an unencrypted PEM or OpenSSH private key this installer can read.");
            }
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var keys = new List<IPrivateKeySource>();
        foreach (var name in OwnKeyNames)
        {
            var path = Path.Combine(home, ".ssh", name);
            if (!File.Exists(path)) continue;
            try
            {
                keys.Add(new PrivateKeyFile(path));
                await say($"Offering this agent's own key ~/.ssh/{name}");
            }
            catch (Exception e) when (e is SshException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await say($"Skipping ~/.ssh/{name}: it cannot be read without a passphrase or is not a supported key");
            }
        }
        return keys.Count == 0 ? null : new PrivateKeyAuthenticationMethod(remote.UserName, keys.ToArray());
    }

    /// <returns>Null when connected, else why not in words an operator can act on.</returns>
    private static async Task<string?> ConnectAsync(BaseClient client, string target, HostKeyCheck hostKeys, CancellationToken ct)
    {
        try
        {
            await client.ConnectAsync(ct);
            return null;
        }
        catch (SshAuthenticationException)
        {
            return $"Authentication failed for {target}.";
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return $"Connection refused by {target}: no SSH server listens there.";
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown
                                            or SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData or SocketError.TimedOut)
        {
            return $"Host unreachable: {target} ({e.SocketErrorCode}).";
        }
        catch (SocketException e)
        {
            return $"Could not connect to {target}: {e.SocketErrorCode}.";
        }
        catch (SshOperationTimeoutException)
        {
            return $"Host unreachable: {target} did not answer within {ConnectTimeout.TotalSeconds:0} s.";
        }
        catch (SshConnectionException) when (hostKeys.Refused is not null)
        {
            return hostKeys.Refused;
        }
        catch (SshConnectionException e)
        {
            return $"The SSH connection to {target} failed: {e.Message}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // SSH.NET's own connect timeout surfaces as a cancellation we did not ask for.
            return $"Host unreachable: {target} did not answer within {ConnectTimeout.TotalSeconds:0} s.";
        }
    }

    private static async Task UploadAsync(SftpClient sftp, string localFile, string remotePath, CancellationToken ct)
    {
        await using var input = File.OpenRead(localFile);
        await sftp.UploadFileAsync(input, remotePath, ct);
        sftp.ChangePermissions(remotePath, 0b111_000_000); // 700: only the installing user reads the package.
    }

    private static async Task<(int? ExitCode, string Output)> RunQuietAsync(SshClient ssh, string commandLine, CancellationToken ct)
    {
        using var command = ssh.CreateCommand(commandLine);
        await command.ExecuteAsync(ct);
        return (command.ExitStatus, command.Result + command.Error);
    }

    /// <summary>Runs <paramref name="commandLine"/>, saying each line of its output as it comes.</summary>
    /// <returns>The exit status, and the last line that reads like an error (else the last line).</returns>
    private static async Task<(int? ExitCode, string? LastLine)> RunStreamingAsync(SshClient ssh, string commandLine, Func<string, Task> say, CancellationToken ct)
    {
        using var command = ssh.CreateCommand(commandLine);
        string? lastLine = null;
        string? lastError = null;
        var execution = command.ExecuteAsync(ct);
        using (var reader = new StreamReader(command.OutputStream, Encoding.UTF8))
        {
            // The output stream ends when the remote command's channel closes, so this loop ends with the command.
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0) continue;
                lastLine = line;
                if (line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("fail", StringComparison.OrdinalIgnoreCase)) lastError = line;
                await say(line);
            }
        }
        await execution;
        return (command.ExitStatus, lastError ?? lastLine);
    }

    /// <summary>Best effort, and also after a failure or a timeout: the package and script must not stay on the machine.</summary>
    private static async Task RemoveRemoteFolderAsync(SshClient ssh, string elevate, string folder)
    {
        if (!ssh.IsConnected || !folder.StartsWith("/tmp/fleet-install.", StringComparison.Ordinal)) return;
        try
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            using var command = ssh.CreateCommand($"{elevate}rm -rf {InstallScriptCommand.Quote(folder)}");
            await command.ExecuteAsync(cleanup.Token);
        }
        catch (Exception e) when (e is SshException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
        }
        finally
        {
            ssh.Disconnect();
        }
    }

    /// <summary>Trust on first use for one target, shared by its shell and SFTP connections.</summary>
    private sealed class HostKeyCheck(SshKnownHosts knownHosts, string host)
    {
        public string Description { get; private set; } = "";

        /// <summary>Why the key was refused, when it was.</summary>
        public string? Refused { get; private set; }

        public void OnHostKey(object? sender, HostKeyEventArgs e)
        {
            var fingerprint = "SHA256:" + e.FingerPrintSHA256;
            var (verdict, remembered) = knownHosts.Check(host, e.HostKeyName, fingerprint);
            e.CanTrust = verdict != HostKeyVerdict.Changed;
            Description = verdict switch
            {
                HostKeyVerdict.FirstSeen => $"{e.HostKeyName} {fingerprint} (first seen: trusted and remembered)",
                HostKeyVerdict.Known => $"{e.HostKeyName} {fingerprint} (as remembered)",
                _ => $"{e.HostKeyName} {fingerprint} (changed!)",
            };
            if (!e.CanTrust)
                Refused = $"The host key of {host} changed: it was {remembered}, now {e.HostKeyName} {fingerprint}. Refusing to send credentials; "
                          + $"if the machine was reinstalled, remove its line from {SshKnownHosts.FileName} in the installer's state folder.";
        }
    }
}
