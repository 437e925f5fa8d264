using Fleet.Domain.Agents;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Fleet.Web.Hubs;

/// <summary>
/// The one connection each agent keeps. Agents prove who they are in <see cref="Hello"/> (enrolment
/// token or host secret), not with a user token, so the hub itself admits anonymous connections.
/// </summary>
[AllowAnonymous]
public sealed class AgentHub(AgentGateway gateway) : Hub
{
    [HubMethodName(AgentHubMethods.Hello)]
    public async Task<HelloResult> Hello(AgentHello hello)
    {
        // It said hello: the hello timer must not cut it while the answer is worked out (a burst of enrolments queues
        // behind the database writer, and a secret issued to a connection cut meanwhile is one nobody can confirm).
        Context.Features.Get<AgentConnectionGate>()?.MarkHello();
        var result = await gateway.HelloAsync(Context, hello);
        if (result.Outcome == HelloOutcome.Refused) CloseSoon(Context);
        return result;
    }

    [HubMethodName(AgentHubMethods.ConfirmSecret)]
    public async Task<HelloResult> ConfirmSecret(string secret)
    {
        var result = await gateway.ConfirmSecretAsync(Context, secret);
        if (result.Outcome == HelloOutcome.Refused) CloseSoon(Context);
        return result;
    }

    [HubMethodName(AgentHubMethods.Heartbeat)]
    public void Heartbeat() => gateway.Heartbeat(Context.ConnectionId);

    [HubMethodName(AgentHubMethods.ReportInventory)]
    public Task ReportInventory(InventoryUpload upload) => gateway.ReportInventoryAsync(Context.ConnectionId, upload);

    [HubMethodName(AgentChildHostMethods.ReportChildHosts)]
    public Task ReportChildHosts(ChildHostReport report) => gateway.ReportChildHostsAsync(Context.ConnectionId, report);

    [HubMethodName(AgentExecutionMethods.CommandStarted)]
    public Task CommandStarted(Guid commandId) => gateway.CommandStartedAsync(Context.ConnectionId, commandId);

    [HubMethodName(AgentExecutionMethods.CommandOutput)]
    public Task CommandOutput(CommandOutputBatch batch) => gateway.CommandOutputAsync(Context.ConnectionId, batch);

    [HubMethodName(AgentExecutionMethods.CommandFinished)]
    public Task CommandFinished(CommandResultMessage result) => gateway.CommandFinishedAsync(Context.ConnectionId, result);

    /// <summary>A refused agent gets its answer first, then the connection is closed so it cannot linger.</summary>
    private static void CloseSoon(HubCallerContext connection) =>
        _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => connection.Abort(), TaskScheduler.Default);

    public override Task OnDisconnectedAsync(Exception? exception) => gateway.DisconnectedAsync(Context.ConnectionId);
}
