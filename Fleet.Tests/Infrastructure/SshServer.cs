using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A private OpenSSH server for tests: its own config, host key and authorised keys in a temporary folder, listening on
/// two loopback addresses (127.0.0.2 and 127.0.0.3, one port) so one sshd stands for two remote machines. It installs
/// Debian's <c>openssh-server</c> when missing and never touches the machine's own sshd configuration.
/// <para>
/// Two ways in, as a remote install meets them: <see cref="PasswordUser"/> (a dedicated unprivileged user created for the
/// tests, with a generated password, removed again if this fixture created it) and root by the private key
/// <see cref="RootPrivateKeyPem"/>, whose public half is authorised only in this server's own key folder (root's password
/// and <c>~/.ssh</c> are left alone).
/// </para>
/// </summary>
public sealed class SshServer : IDisposable
{
    public const string PasswordUser = "fleettest";
    public static readonly IPAddress FirstAddress = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress SecondAddress = IPAddress.Parse("127.0.0.3");

    private readonly Process _sshd;
    private readonly bool _createdUser;
    private readonly ConcurrentQueue<string> _log = new();

    public SshServer()
    {
        EnsureInstalled();
        Folder = Path.Combine(Path.GetTempPath(), "fleet-sshd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(Folder, "authorized_keys"));
        // sshd refuses to start without its privilege-separation folder, which only the service's own start script makes.
        Directory.CreateDirectory("/run/sshd");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(Folder, "host_ed25519"));
        // A classic PEM ("BEGIN RSA PRIVATE KEY") key: the format a remote_install_meta entry's key usually arrives in.
        var clientKey = Path.Combine(Folder, "client_rsa");
        Run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", clientKey);
        RootPrivateKeyPem = File.ReadAllText(clientKey);
        // "256 SHA256:… comment (ED25519)": OpenSSH's own reading of the key, to check what the installer reports against.
        HostKeyFingerprint = Run("ssh-keygen", "-l", "-E", "sha256", "-f", Path.Combine(Folder, "host_ed25519.pub")).Split(' ')[1];
        File.Copy(clientKey + ".pub", Path.Combine(Folder, "authorized_keys", "root"));
        File.Delete(clientKey);

        _createdUser = EnsurePasswordUser();
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        RunWithInput("chpasswd", $"{PasswordUser}:{Password}\n");

        Port = FreePortOnBothAddresses();
        var config = Path.Combine(Folder, "sshd_config");
        File.WriteAllText(config, $"""
            ListenAddress {FirstAddress}:{Port}
            ListenAddress {SecondAddress}:{Port}
            HostKey {Path.Combine(Folder, "host_ed25519")}
            PidFile {Path.Combine(Folder, "sshd.pid")}
            AuthorizedKeysFile {Path.Combine(Folder, "authorized_keys")}/%u
            UsePAM no
            StrictModes no
            PasswordAuthentication yes
            PubkeyAuthentication yes
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            AllowUsers root {PasswordUser}
            Subsystem sftp internal-sftp
            LogLevel VERBOSE

            """);
        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        // -D: stay in the foreground as our child, so it is stopped by its own pid; -e: log to stderr, kept for failures.
        foreach (var argument in new[] { "-D", "-e", "-f", config }) start.ArgumentList.Add(argument);
        _sshd = Process.Start(start) ?? throw new InvalidOperationException("Could not start sshd.");
        _sshd.ErrorDataReceived += (_, e) => Keep(e.Data);
        _sshd.OutputDataReceived += (_, e) => Keep(e.Data);
        _sshd.BeginErrorReadLine();
        _sshd.BeginOutputReadLine();
        Eventually.Until(() =>
        {
            if (_sshd.HasExited) throw new InvalidOperationException($"sshd exited ({_sshd.ExitCode}):\n{Log}");
            return Accepts(FirstAddress) && Accepts(SecondAddress);
        }, "sshd to listen", TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
    }

    public string Folder { get; }

    public int Port { get; }

    /// <summary>The generated password of <see cref="PasswordUser"/>; tests check it never shows up in output.</summary>
    public string Password { get; }

    /// <summary>The host key's SHA-256 fingerprint as <c>ssh-keygen -l</c> prints it (<c>SHA256:…</c>).</summary>
    public string HostKeyFingerprint { get; }

    /// <summary>PEM text of a private key authorised for root on this server only.</summary>
    public string RootPrivateKeyPem { get; }

    /// <summary>What sshd logged (connections, authentication results), for a failing test's message.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>A folder <see cref="PasswordUser"/> owns (mode 700), for what it installs without root.</summary>
    public string CreateFolderOwnedByPasswordUser(string name)
    {
        var folder = Path.Combine(Folder, "owned", name);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        Directory.CreateDirectory(folder);
        Run("chown", $"{PasswordUser}:", folder);
        Run("chmod", "700", folder);
        return folder;
    }

    public void Dispose()
    {
        try
        {
            if (!_sshd.HasExited)
            {
                _sshd.Kill(entireProcessTree: true);
                _sshd.WaitForExit(10_000);
            }
        }
        finally
        {
            _sshd.Dispose();
            if (_createdUser) TryRun("userdel", "--remove", PasswordUser);
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 2_000) _log.TryDequeue(out _);
    }

    /// <summary>Installs Debian's openssh-server if sshd is missing, waiting for another apt run's lock rather than failing on it.</summary>
    private static void EnsureInstalled()
    {
        if (File.Exists("/usr/sbin/sshd")) return;
        if (Run("id", "-u").Trim() != "0")
            throw new InvalidOperationException("sshd is missing and only root can install it: run ./test.sh (it installs openssh-server) or apt-get install openssh-server.");
        string[] install = ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "openssh-server"];
        if (!TryRun("apt-get", install))
        {
            Run("apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-qq");
            Run("apt-get", install);
        }
    }

    /// <returns>Whether this fixture created the user (and so removes it again).</returns>
    private static bool EnsurePasswordUser()
    {
        if (TryRun("id", PasswordUser)) return false;
        Run("useradd", "--create-home", "--shell", "/bin/sh", PasswordUser);
        return true;
    }

    private static int FreePortOnBothAddresses()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(FirstAddress, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                using var second = new TcpListener(SecondAddress, port);
                second.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("No port is free on both 127.0.0.2 and 127.0.0.3.");
    }

    private bool Accepts(IPAddress address)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(address, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Run(string file, params string[] arguments) => RunWithInput(file, null, arguments);

    private static string RunWithInput(string file, string? stdin, params string[] arguments)
    {
        var (code, output) = Execute(file, stdin, arguments);
        if (code != 0) throw new InvalidOperationException($"'{file} {arguments.FirstOrDefault()}' failed with exit code {code}: {output.Trim()}");
        return output;
    }

    private static bool TryRun(string file, params string[] arguments) => Execute(file, null, arguments).ExitCode == 0;

    private static (int ExitCode, string Output) Execute(string file, string? stdin, string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        if (stdin is not null)
        {
            // Passwords go to chpasswd on its standard input, never on a command line another process could read.
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
