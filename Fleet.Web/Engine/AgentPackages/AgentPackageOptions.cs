namespace Fleet.Web.Engine.AgentPackages;

/// <summary>Configuration section <c>Fleet:AgentPackages</c>.</summary>
public sealed class AgentPackageOptions
{
    public const string Section = "Fleet:AgentPackages";

    /// <summary>
    /// The address agents reach this server at, written into install.sh as the default <c>--server</c>. Unset: the scheme and
    /// host the script was requested with (right unless a proxy rewrites them).
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Largest package an admin may upload (the upload route's own body limit; every other route keeps the 1 MB one).</summary>
    public long MaxPackageBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Where the build put the agent built with this server (default: <c>agent-package/</c> beside the server's files).</summary>
    public string? BuiltInFolder { get; set; }
}
