using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Fleet.Tests.Infrastructure;

/// <summary>One agent package published by scripts/publish-agent.sh, as production publishes it (NativeAOT, linux-x64).</summary>
public sealed record PublishedAgentPackage(string Version, string FilePath, string Sha256)
{
    public long SizeBytes => new FileInfo(FilePath).Length;
}

/// <summary>
/// Publishes the agent with a given version once per test run and keeps it in a temporary folder keyed by a hash of the
/// agent's sources, so later runs reuse it until the code changes. A publish takes minutes, so every test that needs one
/// shares it, one publish at a time (they share Fleet.Agent's obj folder).
/// </summary>
public static class PublishedAgentPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, PublishedAgentPackage> Published = [];

    public static async Task<PublishedAgentPackage> GetAsync(string version)
    {
        await Gate.WaitAsync();
        try
        {
            if (Published.TryGetValue(version, out var known)) return known;
            var root = RepositoryRoot();
            var folder = Path.Combine(Path.GetTempPath(), "fleet-tests-agent-packages", SourceHash(root), version);
            var file = Path.Combine(folder, "fleet-agent");
            var hashFile = file + ".sha256";
            if (!File.Exists(file) || !File.Exists(hashFile)) await PublishAsync(root, version, folder);
            var package = new PublishedAgentPackage(version, file, File.ReadAllText(hashFile).Split(' ')[0].Trim());
            Published[version] = package;
            return package;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task PublishAsync(string root, string version, string folder)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(root, "scripts", "publish-agent.sh"), version, folder }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(25));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"publish-agent.sh {version} failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Fleet.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Fleet.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>What the published agent is made of: the agent's and the domain's sources, the build settings and the script.</summary>
    private static string SourceHash(string root)
    {
        var files = new[] { "Fleet.Agent", "Fleet.Domain" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, project), "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                            && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .Concat([Path.Combine(root, "Directory.Build.props"), Path.Combine(root, "Directory.Packages.props"), Path.Combine(root, "scripts", "publish-agent.sh")])
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
