using System.Security.Cryptography;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Maintenance;

/// <summary>Fetches agent packages and the install script from the server and checks each package against its SHA-256.</summary>
public sealed class AgentPackageDownloader(HttpClient http)
{
    /// <summary>Downloads <paramref name="package"/> to <paramref name="destination"/> (mode 755); the file exists only if its hash matched.</summary>
    /// <exception cref="InvalidOperationException">The server did not serve it, or the hash or size differ.</exception>
    public async Task DownloadPackageAsync(Uri server, AgentPackageRef package, string destination, CancellationToken ct)
    {
        var partial = destination + ".part";
        try
        {
            using (var response = await http.GetAsync(new Uri(server, package.DownloadPath), HttpCompletionOption.ResponseHeadersRead, ct))
            {
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"The server answered {(int)response.StatusCode} for agent package {package.Version}.");
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                await using var file = new FileStream(partial, FileMode.Create, FileAccess.Write);
                await body.CopyToAsync(file, ct);
            }
            var actual = await Sha256Async(partial, ct);
            if (!string.Equals(actual, package.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"Agent package {package.Version} has SHA-256 {actual}, expected {package.Sha256}: not installed.");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                    | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(partial, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>The server's install script as text.</summary>
    public async Task<string> DownloadInstallScriptAsync(Uri server, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(server, AgentPackagePaths.InstallScript), ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The server answered {(int)response.StatusCode} for the install script.");
        return await response.Content.ReadAsStringAsync(ct);
    }

    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}
