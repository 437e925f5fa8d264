using Fleet.Domain.Agents;
using Fleet.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Fleet.Web.Engine;

/// <summary>Sends server → agent messages to whichever connection a host currently holds.</summary>
public sealed class AgentSender(IHubContext<AgentHub> hub, AgentRegistry registry)
{
    /// <returns>False when the host has no live connection here.</returns>
    public async Task<bool> CollectInventoryAsync(Guid hostId, InventoryRequest request)
    {
        if (registry.ConnectionOf(hostId) is not { } connectionId) return false;
        await hub.Clients.Client(connectionId).SendAsync(AgentHubMethods.CollectInventory, request);
        return true;
    }

    /// <returns>False when the host has no live connection here; the command is delivered when it reconnects.</returns>
    public async Task<bool> RunCommandAsync(Guid hostId, CommandRequest request)
    {
        if (registry.ConnectionOf(hostId) is not { } connectionId) return false;
        await hub.Clients.Client(connectionId).SendAsync(AgentExecutionMethods.RunCommand, request);
        return true;
    }

    public async Task<bool> CancelCommandAsync(Guid hostId, Guid commandId)
    {
        if (registry.ConnectionOf(hostId) is not { } connectionId) return false;
        await hub.Clients.Client(connectionId).SendAsync(AgentExecutionMethods.CancelCommand, commandId);
        return true;
    }

    public async Task NotifyApprovedAsync(Guid hostId)
    {
        if (registry.WaitingConnectionOf(hostId) is { } waiting)
            await hub.Clients.Client(waiting.ConnectionId).SendAsync(AgentHubMethods.Approved, new ApprovalNotice(hostId));
    }

    public async Task NotifyRefusedAsync(Guid hostId, string reason)
    {
        if (registry.WaitingConnectionOf(hostId) is { } waiting)
        {
            await hub.Clients.Client(waiting.ConnectionId).SendAsync(AgentHubMethods.Refused, reason);
            waiting.Abort();
        }
    }
}
