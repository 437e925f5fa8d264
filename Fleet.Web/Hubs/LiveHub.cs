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
public sealed class LiveHub : Hub
{
    public const string Path = "/hubs/live";
    public const string ProgressMethod = "progress";

    public static string FleetGroup => "fleet";
    public static string HostGroup(Guid hostId) => $"host:{hostId}";
    public static string InvocationGroup(long invocationId) => $"invocation:{invocationId}";
    public static string StageRunGroup(Guid stageRunId) => $"stagerun:{stageRunId}";

    public Task JoinFleet() => Groups.AddToGroupAsync(Context.ConnectionId, FleetGroup);

    public Task JoinHost(Guid hostId) => Groups.AddToGroupAsync(Context.ConnectionId, HostGroup(hostId));

    public Task JoinInvocation(long invocationId) => Groups.AddToGroupAsync(Context.ConnectionId, InvocationGroup(invocationId));

    public Task JoinStageRun(Guid stageRunId) => Groups.AddToGroupAsync(Context.ConnectionId, StageRunGroup(stageRunId));

    public Task Leave(string group) => Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
}
