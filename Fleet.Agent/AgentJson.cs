using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Agent.Children;
using Fleet.Agent.Execution;
using Fleet.Domain.Agents;

namespace Fleet.Agent;

/// <summary>
/// Every type the agent sends or receives over SignalR, in the JSON protocol's own settings (camelCase names, numbers for
/// enums, as the server expects). Source-generated because the published agent is compiled ahead of time, without the
/// reflection System.Text.Json would otherwise use.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(AgentHello))]
[JsonSerializable(typeof(HelloResult))]
[JsonSerializable(typeof(ApprovalNotice))]
[JsonSerializable(typeof(InventoryRequest))]
[JsonSerializable(typeof(InventoryUpload))]
[JsonSerializable(typeof(CommandRequest))]
[JsonSerializable(typeof(CommandOutputBatch))]
[JsonSerializable(typeof(CommandResultMessage))]
[JsonSerializable(typeof(ChildHostReport))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(string))]
public sealed partial class AgentHubJsonContext : JsonSerializerContext;

/// <summary>
/// The payload settings of every hub connection the process opens: SignalR's JSON defaults with <see cref="AgentHubJsonContext"/>
/// first. One instance for all of them because System.Text.Json builds a type's metadata once per options instance: with options
/// of its own, each of a simulator's 10,000 connections built it again for its first command and its first result, which made
/// the first broadcast to them about twice as slow as the next (bench/RESULTS.md).
/// </summary>
public static class AgentHubPayload
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new Microsoft.AspNetCore.SignalR.JsonHubProtocolOptions().PayloadSerializerOptions;
        options.TypeInfoResolverChain.Insert(0, AgentHubJsonContext.Default);
        return options;
    }
}

/// <summary>
/// What the agent keeps on disk: its identity and the command journal (enums as names, as journals written before this
/// context was introduced have them), and the sandbox child hosts of tests and labs.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(AgentIdentity))]
[JsonSerializable(typeof(CommandJournalEntry))]
[JsonSerializable(typeof(OutputChunkMessage))]
[JsonSerializable(typeof(ChildHostReport))]
public sealed partial class AgentStateJsonContext : JsonSerializerContext;

/// <summary>The sandbox child hosts' file: web defaults, indented for people who edit it by hand.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(List<SandboxChild>))]
public sealed partial class SandboxJsonContext : JsonSerializerContext;
