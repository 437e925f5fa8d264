using System.Reflection;
using System.Text.RegularExpressions;

namespace Fleet.Web.Engine.AgentPackages;

/// <summary>
/// install.sh as the server serves it: the script shipped in this assembly with the server's address and its default
/// agent version filled in as the defaults of <c>--server</c> and <c>--version</c>.
/// </summary>
public static partial class InstallScript
{
    public const string ContentType = "text/x-shellscript";
    private const string ServerPlaceholder = "@@FLEET_DEFAULT_SERVER@@";
    private const string VersionPlaceholder = "@@FLEET_DEFAULT_VERSION@@";

    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(InstallScript).Assembly.GetManifestResourceStream("Fleet.Web.Engine.AgentPackages.install.sh")
            ?? throw new InvalidOperationException("install.sh is not embedded in Fleet.Web.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>
    /// A URL the script may quote: scheme, host, port and a plain path. The address comes from configuration or from the
    /// request's Host header, and it ends up inside a script people run as root, so anything else is left out.
    /// </summary>
    [GeneratedRegex(@"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?$")]
    private static partial Regex SafeUrl();

    /// <param name="serverUrl">The server's public address; an unsafe one is left out, and the script then asks for <c>--server</c>.</param>
    /// <param name="defaultVersion">The version installed without <c>--version</c>; must pass <see cref="AgentPackageStore.IsValidVersion"/>.</param>
    public static string Render(string? serverUrl, string? defaultVersion)
    {
        var server = serverUrl is not null && SafeUrl().IsMatch(serverUrl) ? serverUrl.TrimEnd('/') : "";
        var version = AgentPackageStore.IsValidVersion(defaultVersion) ? defaultVersion! : "";
        return Template.Value.Replace(ServerPlaceholder, server, StringComparison.Ordinal).Replace(VersionPlaceholder, version, StringComparison.Ordinal);
    }

    /// <summary>Fleet's own version, which the agent built with the server also carries.</summary>
    public static string FleetVersion { get; } = VersionOf(typeof(InstallScript).Assembly);

    public static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The SDK appends "+<commit>" when it knows the source revision; the package version is the part before it.
        if (!string.IsNullOrEmpty(informational)) return informational.Split('+')[0];
        return assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
    }
}
