using System.Diagnostics;
using Fleet.Domain.Inventory;

namespace Fleet.Agent.Inventory;

/// <summary>Installed packages from dpkg's database, or from `rpm -qa` where there is no dpkg.</summary>
public sealed class SoftwareCollector(HostRoot root)
{
    private static readonly TimeSpan RpmTimeout = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<SoftwarePackage>> CollectAsync(CancellationToken ct)
    {
        var dpkgStatus = root.Resolve("/var/lib/dpkg/status");
        if (File.Exists(dpkgStatus))
        {
            using var reader = new StreamReader(dpkgStatus, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
            return DpkgStatusParser.Parse(reader, DpkgInstallDate);
        }

        // rpm reads the live machine's database; it cannot answer for a fixture root.
        var rpm = new[] { "/usr/bin/rpm", "/bin/rpm" }.FirstOrDefault(p => File.Exists(root.Resolve(p)));
        if (root.IsLive && rpm is not null) return await QueryRpmAsync(rpm, ct);

        throw new NotSupportedException("no dpkg database and no rpm on this host");
    }

    // dpkg keeps no install time; the file list written when a package is unpacked is the usual stand-in.
    private DateTimeOffset? DpkgInstallDate(string name, string architecture)
    {
        var info = root.Resolve("/var/lib/dpkg/info/");
        var file = new FileInfo(info + name + ".list");
        if (!file.Exists && architecture.Length > 0) file = new FileInfo(info + name + ":" + architecture + ".list");
        return file.Exists ? new DateTimeOffset(file.LastWriteTimeUtc) : null;
    }

    private static async Task<IReadOnlyList<SoftwarePackage>> QueryRpmAsync(string rpm, CancellationToken ct)
    {
        var start = new ProcessStartInfo(rpm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "-qa", "--queryformat", RpmQueryParser.QueryFormat },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("rpm did not start");
        // Killing rpm on cancel or timeout closes its output, which is what unblocks the parser.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RpmTimeout);
        using var kill = timeout.Token.Register(() => TryKill(process));

        // The process's own Dispose leaves the streams it handed out open: they are closed with it here.
        using var error = process.StandardError;
        using var output = process.StandardOutput;
        var stderr = error.ReadToEndAsync(CancellationToken.None);
        var packages = RpmQueryParser.Parse(output);
        await process.WaitForExitAsync(CancellationToken.None);

        ct.ThrowIfCancellationRequested();
        if (timeout.IsCancellationRequested) throw new TimeoutException($"rpm -qa took longer than {RpmTimeout.TotalSeconds:0} s");
        if (process.ExitCode != 0) throw new InvalidOperationException($"rpm exited {process.ExitCode}: {(await stderr).Trim()}");
        return packages;
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }
}
