using Fleet.Domain;
using Fleet.Web.Engine.AgentPackages;

namespace Fleet.Tests.Components.Fakes;

/// <summary>Packages a test lists directly; an upload is read whole and kept, with the store's version rule.</summary>
public sealed class FakeAgentPackages : IAgentPackages
{
    public List<AgentPackage> Packages { get; } = [];
    public Dictionary<string, byte[]> Uploaded { get; } = [];
    public List<string> DefaultsSet { get; } = [];

    public Task<IReadOnlyList<AgentPackage>> ListAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<AgentPackage>>(Packages.OrderByDescending(p => p.Version, VersionComparer.Instance).ToList());

    public Task<AgentPackage?> FindAsync(string version, CancellationToken ct = default) =>
        Task.FromResult(Packages.FirstOrDefault(p => p.Version == version));

    public Task<AgentPackage?> ForVersionTypeAsync(string? versionType, CancellationToken ct = default) =>
        Task.FromResult(Packages.FirstOrDefault(p => p.IsDefault));

    public async Task<AgentPackage> AddAsync(string version, Stream content, string by, CancellationToken ct = default)
    {
        if (!AgentPackageStore.IsValidVersion(version)) throw new DomainException("bad version", "version");
        if (Packages.Any(p => p.Version == version)) throw new DomainException($"Agent package {version} already exists.", "version");
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        Uploaded[version] = buffer.ToArray();
        var package = new AgentPackage(version, new string('a', 64), buffer.Length, DateTimeOffset.UtcNow, by, Packages.Count == 0);
        Packages.Add(package);
        return package;
    }

    public Task SetDefaultAsync(string version, string by, CancellationToken ct = default)
    {
        DefaultsSet.Add(version);
        for (var i = 0; i < Packages.Count; i++) Packages[i] = Packages[i] with { IsDefault = Packages[i].Version == version };
        return Task.CompletedTask;
    }

    public string? FileOf(string version) => null;

    public static AgentPackage Package(string version, bool isDefault, string sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef") =>
        new(version, sha256, 12 * 1024 * 1024, DateTimeOffset.UtcNow.AddDays(-1), "admin", isDefault);
}
