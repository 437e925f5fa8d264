using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Fleet.Domain.Agents;

/// <summary>
/// Where the server serves agent packages and the install script. Paths are relative to the server's base URL: an agent
/// resolves them against the server it is connected to, so no server needs to know the address its agents use.
/// </summary>
public static class AgentPackagePaths
{
    public const string InstallScript = "/agent/install.sh";
    /// <summary>The single executable file of one package version.</summary>
    public static string Package(string version) => $"/agent/packages/{Uri.EscapeDataString(version)}/fleet-agent";
    /// <summary>Where install.sh puts the agent unless told otherwise (<c>--prefix</c>).</summary>
    public const string DefaultPrefix = "/opt/fleet-agent";
}

/// <summary>Seed 003's version rule, shared by the server's package store and the agent that installs versions side by side.</summary>
public static partial class AgentPackageVersions
{
    [GeneratedRegex(@"^([0-9A-Za-z]|_|-|\.)+$")]
    private static partial Regex Pattern();

    /// <summary>Up to 64 letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, never only dots and never <c>..</c>: safe as a folder name.</summary>
    public static bool IsValid(string? version) =>
        !string.IsNullOrEmpty(version) && version.Length <= 64 && Pattern().IsMatch(version) && version.Trim('.').Length > 0 && !version.Contains("..");
}

/// <summary>One agent package version as the server offers it: what to download and the hash to check it against.</summary>
public sealed record AgentPackageRef(string Version, string Sha256, long SizeBytes)
{
    public string DownloadPath => AgentPackagePaths.Package(Version);
}

/// <summary>
/// How a new agent enrols, passed to install.sh. <see cref="ServerUrl"/> null means the server the installing agent is
/// connected to. <see cref="Hostname"/> and <see cref="MachineId"/> override what the new host reports (machines cloned
/// with one machine-id, labs that run several agents on one machine); null means the machine's own.
/// </summary>
public sealed record AgentInstallArgs(string EnrollmentToken, string? ServerUrl = null, string? Prefix = null, string? Hostname = null, string? MachineId = null);

/// <summary>Script of an <see cref="Execution.CommandKind.AgentUpdate"/> command.</summary>
/// <param name="HealthDeadlineSeconds">The new version must connect and be accepted within this, or the launcher rolls back.</param>
public sealed record AgentUpdateOrder(AgentPackageRef Package, int HealthDeadlineSeconds);

/// <summary>Script of an <see cref="Execution.CommandKind.AgentRollback"/> command: the version to go back to, still installed on the host.</summary>
public sealed record AgentRollbackOrder(string Version, int HealthDeadlineSeconds);

/// <summary>Script of a <see cref="Execution.CommandKind.ChildAgentInstall"/> command, run by the child's parent agent.</summary>
/// <param name="ChildType">lxd, docker, sandbox: which provider reaches the child.</param>
public sealed record ChildAgentInstallOrder(string ChildName, string ChildType, AgentPackageRef Package, AgentInstallArgs Install);

/// <summary>
/// Script of a <see cref="Execution.CommandKind.RemoteAgentInstall"/> command, run by the designated installer's agent.
/// It carries a credential, so the server sends it only sealed and never shows or logs it.
/// </summary>
/// <param name="Password">The password, or with <paramref name="UsePrivateKey"/> the PEM private key; with a key and no
/// text, the installer's own keys (<c>~/.ssh/id_ed25519</c>, <c>id_rsa</c>).</param>
public sealed record RemoteAgentInstallOrder(string Address, int Port, string UserName, string? Password, bool UsePrivateKey, AgentPackageRef Package, AgentInstallArgs Install);

/// <summary>The one JSON shape of every maintenance order, shared by the server that writes and the agent that reads.</summary>
/// <remarks>Source-generated (<see cref="AgentMaintenanceJsonContext"/>): the agent is compiled ahead of time, without reflection.</remarks>
public static class AgentMaintenanceJson
{
    private static readonly JsonSerializerOptions Options = new(AgentMaintenanceJsonContext.Default.Options);

    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not one of the orders in <see cref="AgentMaintenanceJsonContext"/>.</exception>
    public static string Write<T>(T order) => JsonSerializer.Serialize(order, TypeInfo<T>());

    /// <exception cref="DomainException">The text is not a valid order of this type.</exception>
    public static T Read<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, TypeInfo<T>()) ?? throw new DomainException($"Empty {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new DomainException($"Invalid {typeof(T).Name}: {e.Message}");
        }
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AgentUpdateOrder))]
[JsonSerializable(typeof(AgentRollbackOrder))]
[JsonSerializable(typeof(ChildAgentInstallOrder))]
[JsonSerializable(typeof(RemoteAgentInstallOrder))]
public sealed partial class AgentMaintenanceJsonContext : JsonSerializerContext;
