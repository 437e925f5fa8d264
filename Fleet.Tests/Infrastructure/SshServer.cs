using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A private OpenSSH server for tests: its own config, host key and authorised keys in a temporary folder, listening on
/// two loopback addresses (127.0.0.2 and 127.0.0.3, one port). It installs Debian's <c>openssh-server</c> when missing and
/// never touches the machine's own sshd configuration.
/// <para>
/// Each address is a separate "machine": its own sshd in its own mount namespace, where <c>/opt</c>,
/// <c>/var/lib/fleet-agent</c> and <c>/etc/machine-id</c> are that machine's own folders and file (see
/// <see cref="MachineFolder"/>). So install.sh with its defaults puts two agents on this one computer without either
/// seeing the other, as on two computers; everything a session starts (the launcher, the agent) stays in that namespace.
/// </para>
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

    /// <summary>Mount point for the machines' state folders; made (and removed again) only when the computer has none.</summary>
    private const string StateMountPoint = "/var/lib/fleet-agent";

    private readonly List<Process> _sshds = [];
    private readonly bool _createdUser;
    private readonly bool _createdStateMountPoint;
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
        _createdStateMountPoint = !Directory.Exists(StateMountPoint);
        Directory.CreateDirectory(StateMountPoint);
        foreach (var address in new[] { FirstAddress, SecondAddress }) _sshds.Add(StartMachine(address));
        Eventually.Until(() =>
        {
            if (_sshds.FirstOrDefault(p => p.HasExited) is { } ended) throw new InvalidOperationException($"sshd exited ({ended.ExitCode}):\n{Log}");
            return Accepts(FirstAddress) && Accepts(SecondAddress);
        }, "sshd to listen", TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
    }

    public string Folder { get; }

    /// <summary>Where the machine behind <paramref name="address"/> keeps what it sees as <c>/opt</c>, <c>/var/lib/fleet-agent</c> (state) and <c>/etc/machine-id</c>.</summary>
    public string MachineFolder(IPAddress address) => Path.Combine(Folder, "machines", address.ToString());

    /// <summary>The default prefix of install.sh (/opt/fleet-agent) on that machine, as a path on this computer.</summary>
    public string DefaultPrefixOn(IPAddress address) => Path.Combine(MachineFolder(address), "opt", "fleet-agent");

    /// <summary>What <c>/etc/machine-id</c> says on that machine.</summary>
    public string MachineIdOf(IPAddress address) => File.ReadAllText(Path.Combine(MachineFolder(address), "machine-id")).Trim();

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
            foreach (var sshd in _sshds)
            {
                if (sshd.HasExited) continue;
                sshd.Kill(entireProcessTree: true);
                sshd.WaitForExit(10_000);
            }
        }
        finally
        {
            foreach (var sshd in _sshds) sshd.Dispose();
            if (_createdUser) TryRun("userdel", "--remove", PasswordUser);
            if (_createdStateMountPoint) TryRun("rmdir", StateMountPoint);
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>One machine: its folders, its sshd config, and the sshd started in a mount namespace of its own.</summary>
    private Process StartMachine(IPAddress address)
    {
        var machine = MachineFolder(address);
        var opt = Path.Combine(machine, "opt");
        var state = Path.Combine(machine, "state");
        Directory.CreateDirectory(opt);
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(machine, "machine-id"), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "\n");
        // The unprivileged user may install with the script's defaults on these machines, as root may on any.
        Run("chown", $"{PasswordUser}:", opt, state);
        var config = Path.Combine(Folder, $"sshd_config-{address}");
        File.WriteAllText(config, $"""
            ListenAddress {address}:{Port}
            HostKey {Path.Combine(Folder, "host_ed25519")}
            PidFile {Path.Combine(Folder, $"sshd-{address}.pid")}
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
        // unshare gives the shell a private mount namespace; the binds are seen only inside it, and exec keeps the pid, so
        // the sshd is stopped by the pid started here. -D: stay in the foreground; -e: log to stderr, kept for failures.
        const string Script = """
            mount --bind "$1" /opt && mount --bind "$2" "$3" && { [ ! -e /etc/machine-id ] || mount --bind "$4" /etc/machine-id; } && exec /usr/sbin/sshd -D -e -f "$5"
            """;
        var start = new ProcessStartInfo("unshare") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--mount", "--propagation", "private", "sh", "-c", Script, "sh", opt, state, StateMountPoint,
                     Path.Combine(machine, "machine-id"), config })
            start.ArgumentList.Add(argument);
        var sshd = Process.Start(start) ?? throw new InvalidOperationException("Could not start sshd.");
        sshd.ErrorDataReceived += (_, e) => Keep(e.Data);
        sshd.OutputDataReceived += (_, e) => Keep(e.Data);
        sshd.BeginErrorReadLine();
        sshd.BeginOutputReadLine();
        return sshd;
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
