using Fleet.Domain.Agents;

namespace Fleet.Agent.Maintenance;

/// <summary>
/// The package (its SHA-256 checked) and the install script, downloaded from the server into a folder only this agent's
/// user can open (700), and deleted with it. Both installers copy these two files to where the agent is going.
/// </summary>
public sealed class StagedInstall : IDisposable
{
    private StagedInstall(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public string PackageFile => Path.Combine(Folder, InstallScriptCommand.PackageName);

    public string ScriptFile => Path.Combine(Folder, InstallScriptCommand.ScriptName);

    /// <summary>Why the download failed (the server lacks the version, the hash differs, the server is unreachable); null when both files are here.</summary>
    public string? Failure { get; private set; }

    /// <summary>Downloads both files; a failure is kept in <see cref="Failure"/> (with the folder already removed), not thrown.</summary>
    public static async Task<StagedInstall> TryDownloadAsync(AgentPackageRef package, MaintenanceContext context, CancellationToken ct)
    {
        var staged = new StagedInstall(Directory.CreateTempSubdirectory("fleet-install-").FullName);
        try
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(staged.Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await context.Say($"Downloading agent package {package.Version} ({package.SizeBytes:N0} bytes) and the install script from {context.Server}");
            await context.Downloader.DownloadPackageAsync(context.Server, package, staged.PackageFile, ct);
            await File.WriteAllTextAsync(staged.ScriptFile, await context.Downloader.DownloadInstallScriptAsync(context.Server, ct), ct);
            await context.Say($"Package {package.Version} matches its SHA-256 {package.Sha256}");
            return staged;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            staged.Dispose();
            staged.Failure = $"Could not get agent package {package.Version} and the install script from {context.Server}: {e.Message}";
            return staged;
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
