using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Domain.Execution;

namespace Fleet.Domain.AgentMaintenance;

/// <summary>One entry of <c>remote_install_meta</c> (seed 003 Table 4). <see cref="Password"/> is the password, or the PEM key with <see cref="UsePem"/>.</summary>
public sealed record RemoteInstallHost(string? InstanceName, string? RemoteIp, string? UserName, int Port, string? Password, bool UsePem)
{
    public const int DefaultPort = 22;

    /// <summary>Never prints the credential (records print every property by default).</summary>
    public override string ToString() => $"{UserName}@{RemoteIp}:{Port}";
}

/// <summary>
/// A batch-create request of seed 003 after validation: every rule of Tables 1–4 held. Build it with
/// <see cref="Parse"/>, which answers the first broken rule as its own <see cref="TaskError"/>.
/// </summary>
public sealed partial record AgentInvocationRequest(
    string ProjectId,
    AgentInvocationType Type,
    IReadOnlyList<string> InstanceIds,
    IReadOnlyList<string> InvocationIds,
    string? VersionType,
    string? Origin,
    string? Version,
    IReadOnlyList<RemoteInstallHost> RemoteInstallMeta,
    string? Waves = null,
    string? FailureThreshold = null)
{
    public const int MaxItems = 100;
    public const int MaxIdLength = 64;

    /// <summary>Never prints a password or key.</summary>
    public override string ToString() => $"{Type.Word()} instances={InstanceIds.Count} invocations={InvocationIds.Count} remote={RemoteInstallMeta.Count}";

    [GeneratedRegex("^[a-zA-Z0-9-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^([0-9A-Za-z]|_|-|\.)+$")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"^(([0-9]|\.){1,15})$")]
    private static partial Regex RemoteIpRegex();

    /// <summary>Seed 003's id pattern (Table 6), used for project ids too.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static bool IsValidProjectId(string? projectId) => projectId is { Length: >= 1 and <= MaxIdLength };

    /// <summary>Validates a batch-create body, rule by rule in the order of the document's tables.</summary>
    public static (AgentInvocationRequest? Request, TaskError? Error) Parse(string projectId, string? body)
    {
        if (!IsValidProjectId(projectId)) return (null, TaskErrors.ProjectId());
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "null" : body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return (null, TaskErrors.MalformedBody);
        }
        using (document)
        {
            try
            {
                return (Read(projectId, document.RootElement), null);
            }
            catch (RequestRuleException broken)
            {
                return (null, broken.Error);
            }
        }
    }

    private static AgentInvocationRequest Read(string projectId, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Broken(TaskErrors.MalformedBody);
        var typeElement = Property(root, "invocation_type");
        if (typeElement is null) throw Broken(TaskErrors.TypeMissing);
        var type = typeElement.Value.ValueKind == JsonValueKind.String ? AgentMaintenanceWords.ParseType(typeElement.Value.GetString()) : null;
        if (type is not { } invocationType) throw Broken(TaskErrors.TypeUnknown);

        var instanceIds = IdList(root, "instance_ids", TaskErrors.InstanceIdsLength, TaskErrors.InstanceIdInvalid);
        if (instanceIds is null && invocationType is AgentInvocationType.Install or AgentInvocationType.Update or AgentInvocationType.SetRemoteInstallHost)
            throw Broken(TaskErrors.InstanceIdsMissing(invocationType.Word()));
        if (invocationType == AgentInvocationType.SetRemoteInstallHost && instanceIds!.Count != 1) throw Broken(TaskErrors.InstallerCount);
        var invocationIds = IdList(root, "invocation_ids", TaskErrors.InvocationIdsLength, TaskErrors.InvocationIdInvalid);
        if (invocationIds is null && invocationType is AgentInvocationType.Rollback or AgentInvocationType.Retry)
            throw Broken(TaskErrors.InvocationIdsMissing(invocationType.Word()));

        var target = OptionalString(root, "invocation_target", TaskErrors.TargetUnknown);
        if (target is not null && target != AgentMaintenanceWords.Telescope) throw Broken(TaskErrors.TargetUnknown);
        var versionType = OptionalString(root, "version_type", TaskErrors.VersionTypeUnknown);
        if (versionType is not null && !AgentMaintenanceWords.VersionTypes.Contains(versionType)) throw Broken(TaskErrors.VersionTypeUnknown);
        var origin = OptionalString(root, "origin", TaskErrors.OriginUnknown);
        if (origin is not null && !AgentMaintenanceWords.Origins.Contains(origin)) throw Broken(TaskErrors.OriginUnknown);
        var version = OptionalString(root, "version", TaskErrors.VersionPattern);
        if (version is { Length: > MaxIdLength }) throw Broken(TaskErrors.VersionLength);
        // Table 3 allows 0 characters, which its pattern cannot match: an empty version means none was chosen.
        if (version == "") version = null;
        if (version is not null && !VersionRegex().IsMatch(version)) throw Broken(TaskErrors.VersionPattern);

        var remote = RemoteMeta(root);
        if (invocationType == AgentInvocationType.RemoteInstall && remote.Count == 0) throw Broken(TaskErrors.RemoteMetaMissing);

        var waves = FleetOnlyText(root, "waves", TaskErrors.Waves("it must be a string like \"1, 10%, rest\"."));
        if (waves is not null) Check(() => WavePlan.Parse(waves), TaskErrors.Waves);
        var threshold = FleetOnlyText(root, "failure_threshold", TaskErrors.FailureThreshold("it must be a count like 3 or a percentage like \"10%\"."));
        if (threshold is not null) Check(() => Execution.FailureThreshold.Parse(threshold), TaskErrors.FailureThreshold);

        return new AgentInvocationRequest(projectId, invocationType, instanceIds ?? [], invocationIds ?? [], versionType, origin, version, remote, waves, threshold);
    }

    private static List<string>? IdList(JsonElement root, string name, TaskError lengthError, TaskError idError)
    {
        if (Property(root, name) is not { } element) return null;
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() is < 1 or > MaxItems) throw Broken(lengthError);
        var ids = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!IsValidId(id)) throw Broken(idError);
            ids.Add(id!);
        }
        return ids;
    }

    private static List<RemoteInstallHost> RemoteMeta(JsonElement root)
    {
        if (Property(root, "remote_install_meta") is not { } element) return [];
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > MaxItems) throw Broken(TaskErrors.RemoteMetaLength);
        var hosts = new List<RemoteInstallHost>();
        foreach (var entry in element.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object) throw Broken(TaskErrors.RemoteMetaEntry);
            var name = OptionalString(entry, "instance_name", TaskErrors.RemoteInstanceName);
            if (name is not null && name.Length is < 1 or > 128) throw Broken(TaskErrors.RemoteInstanceName);
            var ip = OptionalString(entry, "remote_ip", TaskErrors.RemoteIp);
            if (ip is not null && !RemoteIpRegex().IsMatch(ip)) throw Broken(TaskErrors.RemoteIp);
            var user = OptionalString(entry, "user_name", TaskErrors.RemoteUserName);
            if (user is not null && user.Length is < 1 or > 16) throw Broken(TaskErrors.RemoteUserName);
            var portText = OptionalString(entry, "port", TaskErrors.RemotePortLength);
            if (portText is not null && portText.Length is < 1 or > 5) throw Broken(TaskErrors.RemotePortLength);
            var port = RemoteInstallHost.DefaultPort;
            if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
                throw Broken(TaskErrors.RemotePortNumber);
            var password = OptionalString(entry, "password", TaskErrors.RemotePassword);
            if (password is not null && password.Length is < 1 or > 3000) throw Broken(TaskErrors.RemotePassword);
            var usePem = false;
            if (Property(entry, "remote_use_pem") is { } pem)
            {
                if (pem.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Broken(TaskErrors.RemoteUsePem);
                usePem = pem.GetBoolean();
            }
            hosts.Add(new RemoteInstallHost(name, ip, user, port, password, usePem));
        }
        return hosts;
    }

    /// <summary>A property that is present and not null; JSON null counts as absent, as the document's SDKs send it.</summary>
    private static JsonElement? Property(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? OptionalString(JsonElement owner, string name, TaskError wrongType)
    {
        if (Property(owner, name) is not { } element) return null;
        return element.ValueKind == JsonValueKind.String ? element.GetString() : throw Broken(wrongType);
    }

    /// <summary>Fleet's own fields take a string, or a bare number as seed 002's concurrency_control does.</summary>
    private static string? FleetOnlyText(JsonElement owner, string name, TaskError wrongType)
    {
        if (Property(owner, name) is not { } element) return null;
        return element.ValueKind switch
        {
            JsonValueKind.String => string.IsNullOrWhiteSpace(element.GetString()) ? null : element.GetString()!.Trim(),
            JsonValueKind.Number => element.GetRawText(),
            _ => throw Broken(wrongType),
        };
    }

    private static void Check(Action parse, Func<string, TaskError> error)
    {
        try
        {
            parse();
        }
        catch (DomainException e)
        {
            throw Broken(error(e.Message));
        }
    }

    private static RequestRuleException Broken(TaskError error) => new(error);

    private sealed class RequestRuleException(TaskError error) : Exception(error.Message)
    {
        public TaskError Error { get; } = error;
    }
}
