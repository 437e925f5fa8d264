using Fleet.Domain.Agents;

namespace Fleet.Web.Engine.AgentPackages;

/// <summary>One agent package version the server keeps and serves.</summary>
/// <param name="IsDefault">The version new installs get and BASIC_VERSION updates go to.</param>
public sealed record AgentPackage(string Version, string Sha256, long SizeBytes, DateTimeOffset AddedAt, string AddedBy, bool IsDefault)
{
    public AgentPackageRef Ref => new(Version, Sha256, SizeBytes);
}

/// <summary>
/// The agent packages the server offers: a folder under its data folder, one sub-folder per version. Bad input (a version
/// that breaks the naming rule, a duplicate, an empty file) → <see cref="Fleet.Domain.DomainException"/>.
/// </summary>
public interface IAgentPackages
{
    /// <summary>Every version, newest first.</summary>
    Task<IReadOnlyList<AgentPackage>> ListAsync(CancellationToken ct = default);

    Task<AgentPackage?> FindAsync(string version, CancellationToken ct = default);

    /// <summary>Seed 003's <c>version_type</c>: BASIC_VERSION (or none) is the default package, ADVANCE_VERSION the newest.</summary>
    Task<AgentPackage?> ForVersionTypeAsync(string? versionType, CancellationToken ct = default);

    /// <summary>Stores a new version; the first one stored becomes the default.</summary>
    Task<AgentPackage> AddAsync(string version, Stream content, string by, CancellationToken ct = default);

    Task SetDefaultAsync(string version, string by, CancellationToken ct = default);

    /// <summary>The package's executable file, for serving it; null for an unknown version.</summary>
    string? FileOf(string version);
}
