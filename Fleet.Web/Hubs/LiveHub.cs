using Fleet.Domain.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Fleet.Web.Hubs;

/// <summary>
/// Live updates for external clients (API token required). Clients join groups — the fleet, a host,
/// an invocation, a stage run — and receive <c>progress</c> messages: the group's current counts and
/// the target runs that changed, at most a few per second per group (see LivePublisher).
/// </summary>
[Authorize(Policy = Roles.Viewer)]
public sealed class LiveHub(LiveSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/live";
    public const string ProgressMethod = "progress";

    public static string FleetGroup => "fleet";
    public static string HostGroup(Guid hostId) => $"host:{hostId}";
    public static string InvocationGroup(long invocationId) => $"invocation:{invocationId}";
    public static string StageRunGroup(Guid stageRunId) => $"stagerun:{stageRunId}";

    public Task JoinFleet() => JoinAsync(FleetGroup);

    public Task JoinHost(Guid hostId) => JoinAsync(HostGroup(hostId));

    public Task JoinInvocation(long invocationId) => JoinAsync(InvocationGroup(invocationId));

    public Task JoinStageRun(Guid stageRunId) => JoinAsync(StageRunGroup(stageRunId));

    public Task Leave(string group)
    {
        subscriptions.Leave(group, Context.ConnectionId);
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Disconnected(Context.ConnectionId);
        return Task.CompletedTask;
    }

    private Task JoinAsync(string group)
    {
        subscriptions.Join(group, Context.ConnectionId);
        return Groups.AddToGroupAsync(Context.ConnectionId, group);
    }
}
