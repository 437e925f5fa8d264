using System.Security.Cryptography;
using System.Text.Json;
using Fleet.Domain;
using Fleet.Domain.Agents;

namespace Fleet.Web.Engine.AgentPackages;

/// <summary>
/// Keeps packages in <c>&lt;folder&gt;/&lt;version&gt;/fleet-agent</c> with a <c>package.json</c> beside each (hash, size, who added
/// it) and a <c>default</c> file naming the default version. A version is written to a temporary folder and renamed into
/// place, so a half-written upload is never offered.
/// </summary>
/// <param name="builtIn">The agent built with this server, served from where the build put it (never copied into the
/// folder): always listed, and the default until an admin chooses another.</param>
public sealed class AgentPackageStore(string folder, TimeProvider clock, BuiltInAgentPackage? builtIn = null) : IAgentPackages
{
    public const string FileName = "fleet-agent";
    private const string MetadataName = "package.json";
    private const string DefaultName = "default";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Seed 003's version rule: up to 64 of letters, digits, <c>_</c>, <c>-</c> and <c>.</c> (<see cref="AgentPackageVersions"/>).</summary>
    public static bool IsValidVersion(string? version) => AgentPackageVersions.IsValid(version);

    public string Folder => folder;

    public Task<IReadOnlyList<AgentPackage>> ListAsync(CancellationToken ct = default)
    {
        var defaultVersion = ReadDefault();
        if (!Directory.Exists(folder))
            return Task.FromResult<IReadOnlyList<AgentPackage>>(BuiltInPackage(defaultVersion) is { } only ? [only] : []);
        var packages = Directory.EnumerateDirectories(folder)
            .Select(Path.GetFileName)
            .Where(IsValidVersion)
            .Select(v => Read(v!, defaultVersion))
            .OfType<AgentPackage>()
            .ToList();
        if (BuiltInPackage(defaultVersion) is { } own && packages.All(p => p.Version != own.Version)) packages.Add(own);
        return Task.FromResult<IReadOnlyList<AgentPackage>>(packages.OrderByDescending(p => p.Version, VersionComparer.Instance).ToList());
    }

    public Task<AgentPackage?> FindAsync(string version, CancellationToken ct = default) =>
        Task.FromResult(IsValidVersion(version) ? Read(version, ReadDefault()) : null);

    public async Task<AgentPackage?> ForVersionTypeAsync(string? versionType, CancellationToken ct = default)
    {
        var all = await ListAsync(ct);
        return versionType == "ADVANCE_VERSION" ? all.FirstOrDefault() : all.FirstOrDefault(p => p.IsDefault) ?? all.FirstOrDefault();
    }

    public async Task<AgentPackage> AddAsync(string version, Stream content, string by, CancellationToken ct = default)
    {
        if (!IsValidVersion(version)) throw new DomainException("A package version is 1 to 64 letters, digits, '_', '-' or '.'.", "version");
        await _gate.WaitAsync(ct);
        var staging = Path.Combine(folder, $".upload-{Guid.NewGuid():N}");
        try
        {
            var target = Path.Combine(folder, version);
            if (Directory.Exists(target) || version == builtIn?.Version) throw new DomainException($"Agent package {version} already exists.", "version");
            Directory.CreateDirectory(staging);
            var file = Path.Combine(staging, FileName);
            await using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
                await content.CopyToAsync(output, ct);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var size = new FileInfo(file).Length;
            if (size == 0) throw new DomainException("An agent package cannot be empty.", "file");
            string sha;
            await using (var input = File.OpenRead(file)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(input, ct));
            var metadata = new Metadata(sha, size, clock.GetUtcNow(), by);
            await File.WriteAllTextAsync(Path.Combine(staging, MetadataName), JsonSerializer.Serialize(metadata, Json), ct);
            Directory.Move(staging, target);
            if (ReadDefault() is null) WriteDefault(version);
            return Read(version, ReadDefault())!;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            _gate.Release();
        }
    }

    public async Task SetDefaultAsync(string version, string by, CancellationToken ct = default)
    {
        if (await FindAsync(version, ct) is null) throw new DomainException($"There is no agent package {version}.", "version");
        WriteDefault(version);
    }

    public string? FileOf(string version)
    {
        if (!IsValidVersion(version)) return null;
        var file = Path.Combine(folder, version, FileName);
        if (File.Exists(file)) return file;
        return version == builtIn?.Version && File.Exists(builtIn.FilePath) ? builtIn.FilePath : null;
    }

    private AgentPackage? BuiltInPackage(string? defaultVersion) =>
        builtIn is not null && File.Exists(builtIn.FilePath)
            ? new AgentPackage(builtIn.Version, builtIn.Sha256, builtIn.SizeBytes, builtIn.AddedAt, BuiltInAgentPackage.AddedBy,
                builtIn.Version == (defaultVersion ?? builtIn.Version))
            : null;

    private AgentPackage? Read(string version, string? defaultVersion)
    {
        var metadataFile = Path.Combine(folder, version, MetadataName);
        if (!File.Exists(metadataFile) || !File.Exists(Path.Combine(folder, version, FileName)))
            return version == builtIn?.Version ? BuiltInPackage(defaultVersion) : null;
        try
        {
            var metadata = JsonSerializer.Deserialize<Metadata>(File.ReadAllText(metadataFile), Json);
            return metadata is null ? null : new AgentPackage(version, metadata.Sha256, metadata.SizeBytes, metadata.AddedAt, metadata.AddedBy, version == defaultVersion);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string? ReadDefault()
    {
        var file = Path.Combine(folder, DefaultName);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : builtIn?.Version;
    }

    private void WriteDefault(string version)
    {
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{DefaultName}-{Guid.NewGuid():N}");
        File.WriteAllText(temporary, version);
        File.Move(temporary, Path.Combine(folder, DefaultName), overwrite: true);
    }

    private sealed record Metadata(string Sha256, long SizeBytes, DateTimeOffset AddedAt, string AddedBy);
}

/// <summary>Orders versions as people read them: 1.10.0 after 1.9.2, numbers by value, other parts by text.</summary>
public sealed class VersionComparer : IComparer<string>
{
    public static VersionComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var left = (x ?? "").Split('.', '-', '_');
        var right = (y ?? "").Split('.', '-', '_');
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            if (i >= left.Length) return -1;
            if (i >= right.Length) return 1;
            var order = long.TryParse(left[i], out var a) && long.TryParse(right[i], out var b)
                ? a.CompareTo(b)
                : string.CompareOrdinal(left[i], right[i]);
            if (order != 0) return order;
        }
        return 0;
    }
}
