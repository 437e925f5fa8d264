using System.Text.Json;
using Fleet.Agent;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Microsoft.AspNetCore.SignalR;

namespace Fleet.Tests.Agent;

public sealed class AgentHubPayloadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SharedOptions_WriteAResultAsAConnectionOfItsOwnDid_CamelCaseAndEnumsAsNumbers()
    {
        var result = new CommandResultMessage(Guid.NewGuid(), CommandStatus.Failure, 3, "exit 3", T0, T0.AddSeconds(1),
            [new OutputChunkMessage(1, OutputStream.Stderr, "no\n", T0)]);
        var ownOptions = new JsonHubProtocolOptions().PayloadSerializerOptions;
        ownOptions.TypeInfoResolverChain.Insert(0, AgentHubJsonContext.Default);

        var shared = JsonSerializer.Serialize(result, AgentHubPayload.Options);

        Assert.Equal(JsonSerializer.Serialize(result, ownOptions), shared);
        using var json = JsonDocument.Parse(shared);
        Assert.Equal((int)CommandStatus.Failure, json.RootElement.GetProperty("outcome").GetInt32());
        Assert.Equal((int)OutputStream.Stderr, json.RootElement.GetProperty("output")[0].GetProperty("stream").GetInt32());
    }

    [Fact]
    public void SharedOptions_ReadACommandTheServerSends()
    {
        var id = Guid.NewGuid();
        var request = JsonSerializer.Deserialize<CommandRequest>(
            $$"""{"commandId":"{{id}}","kind":{{(int)CommandKind.Script}},"script":"true","effectiveUser":null,"timeoutSeconds":30}""", AgentHubPayload.Options);

        Assert.Equal(new CommandRequest(id, CommandKind.Script, "true", null, 30), request);
    }
}
