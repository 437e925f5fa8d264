using System.Security.Cryptography;

namespace Fleet.Web.Engine.AgentPackages;

/// <summary>
/// The agent package built with this server: <c>agent-package/fleet-agent</c> beside the server's own files, put there by
/// Fleet.Web's build (scripts/publish-agent.sh), with its SHA-256 in <c>fleet-agent.sha256</c> and its version in
/// <c>version</c>. Served from there, never copied, so a server start costs no copy and no hash of the file.
/// </summary>
public sealed record BuiltInAgentPackage(string Version, string FilePath, string Sha256, long SizeBytes, DateTimeOffset AddedAt)
{
    public const string AddedBy = "built with the server";
    public const string FolderName = "agent-package";

    /// <summary>The package in <paramref name="folder"/>, or null when the build put none there (or only part of one).</summary>
    public static BuiltInAgentPackage? Find(string folder)
    {
        var file = Path.Combine(folder, AgentPackageStore.FileName);
        var versionFile = Path.Combine(folder, "version");
        if (!File.Exists(file) || !File.Exists(versionFile)) return null;
        var version = File.ReadAllText(versionFile).Trim();
        if (!AgentPackageStore.IsValidVersion(version)) return null;
        var info = new FileInfo(file);
        var hashFile = file + ".sha256";
        var sha = File.Exists(hashFile) ? File.ReadAllText(hashFile).Split(' ', 2)[0].Trim().ToLowerInvariant() : null;
        if (sha is not { Length: 64 })
        {
            // No hash from the build: compute it once rather than serve a package without one.
            using var input = File.OpenRead(file);
            sha = Convert.ToHexStringLower(SHA256.HashData(input));
        }
        return new BuiltInAgentPackage(version, file, sha, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
    }
}
