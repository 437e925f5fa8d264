using Fleet.Domain.Agents;
using Fleet.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Fleet.Web.Engine;

/// <summary>
/// Sends server → agent messages to whichever connection a host currently holds. Work (commands, inventory requests) reaches a
/// connection held by another cluster instance through SignalR's backplane; approval and refusal notices go to connections
/// waiting here, because a connection waits on the instance it said hello to.
/// </summary>
public sealed class AgentSender(IHubContext<AgentHub> hub, AgentRegistry registry, IAgentPresence presence)
{
    /// <returns>False when the host has no live connection in the cluster.</returns>
    public async Task<bool> CollectInventoryAsync(Guid hostId, InventoryRequest request)
    {
        if (presence.ConnectionOf(hostId) is not { } connectionId) return false;
        await hub.Clients.Client(connectionId).SendAsync(AgentHubMethods.CollectInventory, request);
        return true;
    }

    /// <returns>False when the host has no live connection in the cluster; the command is delivered when it reconnects.</returns>
    public async Task<bool> RunCommandAsync(Guid hostId, CommandRequest request)
    {
        if (presence.ConnectionOf(hostId) is not { } connectionId) return false;
        await hub.Clients.Client(connectionId).SendAsync(AgentExecutionMethods.RunCommand, request);
        return true;
    }

    public async Task<bool> CancelCommandAsync(Guid hostId, Guid commandId)
    {
        if (presence.ConnectionOf(hostId) is not { } connectionId) return false;
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

    /// <summary>
    /// Tells the host's accepted agent it is refused (revoked secret, identity handed on) and closes its connection; one held by
    /// another instance is told through the backplane and closed by its holder.
    /// </summary>
    public async Task RefuseAcceptedAsync(Guid hostId, string reason, string? exceptConnection = null)
    {
        if (registry.AcceptedConnectionOf(hostId) is not { } live)
        {
            if (presence.ConnectionOf(hostId) is not { } remote || remote == exceptConnection) return;
            try
            {
                await hub.Clients.Client(remote).SendAsync(AgentHubMethods.Refused, reason);
            }
            finally
            {
                presence.Abort(hostId);
            }
            return;
        }
        if (live.ConnectionId == exceptConnection) return;
        try
        {
            await hub.Clients.Client(live.ConnectionId).SendAsync(AgentHubMethods.Refused, reason);
        }
        finally
        {
            live.Abort();
        }
    }

    /// <summary>Wakes the agent whose re-enrolment an operator approved: it says hello again and receives a new secret.</summary>
    public async Task NotifyReenrolmentApprovedAsync(Guid hostId)
    {
        if (registry.ReenrollingConnectionOf(hostId) is { } waiting)
            await hub.Clients.Client(waiting.ConnectionId).SendAsync(AgentHubMethods.Approved, new ApprovalNotice(hostId));
    }

    public async Task NotifyReenrolmentRejectedAsync(Guid hostId, string reason)
    {
        if (registry.ReenrollingConnectionOf(hostId) is not { } waiting) return;
        try
        {
            await hub.Clients.Client(waiting.ConnectionId).SendAsync(AgentHubMethods.Refused, reason);
        }
        finally
        {
            registry.AbortReenrolment(hostId);
        }
    }
}
