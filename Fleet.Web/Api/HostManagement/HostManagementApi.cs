using Fleet.Domain;
using Fleet.Domain.Inventory;
using Fleet.Domain.Security;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using static Fleet.Web.Api.HostManagement.HostApiResults;
using DecisionResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Fleet.Web.Api.HostManagement.HostDecisionResponse>,
    Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Fleet.Web.Api.HostManagement.DetailError>,
    Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Fleet.Web.Api.HostManagement.ValidationError>>;
using RefreshResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Fleet.Web.Api.HostManagement.RefreshRequestedResponse>,
    Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Fleet.Web.Api.HostManagement.DetailError>,
    Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Fleet.Web.Api.HostManagement.ValidationError>>;

namespace Fleet.Web.Api.HostManagement;

/// <summary>The host-management family (seed 001): fleet status, agents, inventory, refresh requests and host approval, over the fleet reader and host operations.</summary>
public static class HostManagementApi
{
    public static IEndpointRouteBuilder MapHostManagementApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Roles.Viewer).WithTags("Host management");

        api.MapGet("/v1/fleet/status", GetFleetStatus).WithName("GetFleetStatus").WithSummary("Overall fleet status and statistics");
        api.MapGet("/v1/fleet/agents", ListAgents).WithName("ListAgents").WithSummary("All registered agents");
        api.MapGet("/v1/fleet/agent/{hostname}", GetAgent).WithName("GetAgent").WithSummary("One agent in detail, by hostname");
        api.MapGet("/v1/host/{host_id}/storage", GetStorage).WithName("GetHostStorage").WithSummary("Storage devices of a host");
        api.MapGet("/v1/host/{host_id}/network", GetNetwork).WithName("GetHostNetwork").WithSummary("Network interfaces of a host");
        api.MapGet("/v1/host/{host_id}/users", GetUsers).WithName("GetHostUsers").WithSummary("User accounts on a host");
        api.MapGet("/v1/host/{host_id}/groups", GetGroups).WithName("GetHostGroups").WithSummary("User groups on a host");
        api.MapGet("/v1/host/{host_id}/software", GetSoftware).WithName("GetHostSoftware").WithSummary("Installed packages on a host");

        var operate = api.MapGroup("").RequireAuthorization(Roles.Operator);
        operate.MapPost("/v1/host/{host_id}/update-hardware", RequestHardwareUpdate).WithName("RequestHardwareUpdate").WithSummary("Ask a host's agent for fresh hardware information");
        operate.MapPost("/v1/host/refresh/software/{host_id}", RequestSoftwareRefresh).WithName("RequestSoftwareRefresh").WithSummary("Ask a host's agent for a fresh software inventory");
        operate.MapPost("/v1/hosts/request-hardware-update", RequestBulkHardwareUpdate).WithName("RequestBulkHardwareUpdate").WithSummary("Ask several hosts for fresh hardware information");
        operate.MapPost("/v1/host/{host_id}/approve", ApproveHost).WithName("ApproveHost").WithSummary("Approve a host waiting for approval");
        operate.MapPost("/v1/host/{host_id}/reject", RejectHost).WithName("RejectHost").WithSummary("Reject a host waiting for approval");
        operate.MapPost("/v1/host/{host_id}/revoke", RevokeHost).WithName("RevokeHost").WithSummary("Revoke a host's secret and disconnect its agent");
        operate.MapPost("/v1/host/{host_id}/reenrolment/approve", ApproveReenrolment).WithName("ApproveHostReenrolment")
            .WithSummary("Give the host's identity to the agent asking to re-enrol (revokes the current agent's secret)");
        operate.MapPost("/v1/host/{host_id}/reenrolment/reject", RejectReenrolment).WithName("RejectHostReenrolment")
            .WithSummary("Refuse the agent asking to re-enrol; the host and its agent are untouched");
        return app;
    }

    public static async Task<JsonHttpResult<FleetStatusResponse>> GetFleetStatus(IFleetReader reader, CancellationToken ct)
    {
        var counts = await reader.GetCountsAsync(ct);
        return Ok(new FleetStatusResponse(counts.Total, counts.Online, counts.Offline, counts.PendingApproval, counts.WithErrors, ApiJson.Time(counts.LastUpdated)));
    }

    public static async Task<JsonHttpResult<AgentListResponse>> ListAgents(FleetReader reader, CancellationToken ct)
    {
        var all = await reader.ListAllHostsAsync(ct);
        return Ok(new AgentListResponse(all.Select(h =>
            new AgentSummary(h.Hostname, h.Id, h.Status, ApiJson.Time(h.LastSeen), h.Platform, h.AgentVersion, h.IpAddress)).ToList()));
    }

    public static async Task<Results<JsonHttpResult<AgentDetailResponse>, JsonHttpResult<DetailError>>> GetAgent(string hostname, FleetReader reader, CancellationToken ct)
    {
        var host = await reader.FindByHostnameAsync(hostname, ct);
        if (host is null) return NotFound($"Agent '{hostname}' not found.");
        var storage = await reader.GetSectionAsync<StorageDevice>(host.Id, InventorySections.Storage, ct);
        var root = storage.Items.FirstOrDefault(d => d.MountPoint == "/") ?? storage.Items.FirstOrDefault();
        var disk = new DiskUsage(Formatting.Bytes(root?.TotalBytes ?? 0), Formatting.Bytes(root?.UsedBytes ?? 0), Formatting.Bytes(root?.FreeBytes ?? 0));
        return Ok(new AgentDetailResponse(host.Hostname, host.Id, host.Status, ApiJson.Time(host.LastSeen), host.Platform, host.OsVersion,
            host.AgentVersion, host.IpAddress, host.CpuCount, Formatting.Bytes(host.MemoryTotalBytes), disk, Formatting.Uptime(host.UptimeSeconds)));
    }

    public static Task<Results<JsonHttpResult<StorageResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> GetStorage(
        [FromRoute(Name = "host_id")] string hostId, FleetReader reader, CancellationToken ct) =>
        WithSection<StorageDevice, StorageResponse>(hostId, InventorySections.Storage, reader, ct, section => new StorageResponse(
            section.Items.Select(d => new StorageDeviceDto(d.Device, d.MountPoint, d.Filesystem, Formatting.Bytes(d.TotalBytes),
                Formatting.Bytes(d.UsedBytes), Formatting.Bytes(d.FreeBytes), d.UsagePercent)).ToList(),
            ApiJson.Time(section.UpdatedAt)));

    public static Task<Results<JsonHttpResult<NetworkResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> GetNetwork(
        [FromRoute(Name = "host_id")] string hostId, FleetReader reader, CancellationToken ct) =>
        WithSection<NetworkInterfaceInfo, NetworkResponse>(hostId, InventorySections.Network, reader, ct, section => new NetworkResponse(
            section.Items.Select(n => new NetworkInterfaceDto(n.Name, n.IpAddress, n.Netmask, n.Gateway, n.MacAddress,
                n.IsUp ? "up" : "down", Formatting.Speed(n.SpeedMbps))).ToList(),
            ApiJson.Time(section.UpdatedAt)));

    public static Task<Results<JsonHttpResult<UsersResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> GetUsers(
        [FromRoute(Name = "host_id")] string hostId, FleetReader reader, CancellationToken ct) =>
        WithSection<UserAccount, UsersResponse>(hostId, InventorySections.Users, reader, ct, section => new UsersResponse(
            section.Items.Select(u => new UserDto(u.Username, u.Uid, u.Gid, u.HomeDirectory, u.Shell, ApiJson.Time(u.LastLogin))).ToList(),
            ApiJson.Time(section.UpdatedAt)));

    public static Task<Results<JsonHttpResult<GroupsResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> GetGroups(
        [FromRoute(Name = "host_id")] string hostId, FleetReader reader, CancellationToken ct) =>
        WithSection<UserGroup, GroupsResponse>(hostId, InventorySections.Groups, reader, ct, section => new GroupsResponse(
            section.Items.Select(g => new GroupDto(g.Name, g.Gid, g.Members)).ToList(),
            ApiJson.Time(section.UpdatedAt)));

    public static Task<Results<JsonHttpResult<SoftwareResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> GetSoftware(
        [FromRoute(Name = "host_id")] string hostId, FleetReader reader, CancellationToken ct) =>
        WithSection<SoftwarePackage, SoftwareResponse>(hostId, InventorySections.Software, reader, ct, section => new SoftwareResponse(
            section.Items.Select(p => new PackageDto(p.Name, p.Version, p.Architecture, p.Status, p.Description, ApiJson.Time(p.InstallDate))).ToList(),
            section.Items.Count,
            ApiJson.Time(section.UpdatedAt)));

    public static Task<RefreshResult> RequestHardwareUpdate([FromRoute(Name = "host_id")] string hostId, IHostOperations operations, CancellationToken ct) =>
        RequestRefresh(hostId, InventorySections.Hardware | InventorySections.Storage | InventorySections.Network, "Hardware update request sent", operations, ct);

    public static Task<RefreshResult> RequestSoftwareRefresh([FromRoute(Name = "host_id")] string hostId, IHostOperations operations, CancellationToken ct) =>
        RequestRefresh(hostId, InventorySections.Software, "Software refresh request sent", operations, ct);

    /// <summary>Unknown and unapproved hosts do not fail the batch: the others are still asked, and each host's result says which were not.</summary>
    public static async Task<Results<JsonHttpResult<BulkHardwareUpdateResponse>, JsonHttpResult<ValidationError>>> RequestBulkHardwareUpdate(
        HttpRequest request, IHostOperations operations, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<BulkHardwareUpdateRequest>(request, ApiJson.SnakeCase);
        if (body is null) return Invalid(["body"], error!);
        if (body.HostIds is null || body.HostIds.Count == 0) return Invalid(["body", "host_ids"], "host_ids must be a non-empty list of host UUIDs.");
        if (body.HostIds.Count > 10_000) return Invalid(["body", "host_ids"], "host_ids may list at most 10000 hosts per request.");
        var ids = new List<Guid>(body.HostIds.Count);
        for (var i = 0; i < body.HostIds.Count; i++)
        {
            if (!Guid.TryParse(body.HostIds[i], out var id)) return Invalid(["body", "host_ids", i.ToString()], $"'{body.HostIds[i]}' is not a valid UUID.");
            ids.Add(id);
        }
        var sections = InventorySections.Hardware;
        if (body.IncludeStorage ?? true) sections |= InventorySections.Storage;
        if (body.IncludeNetwork ?? true) sections |= InventorySections.Network;
        if (body.IncludeUsers ?? false) sections |= InventorySections.Users | InventorySections.Groups;
        var refresh = await operations.RequestInventoryAsync(ids, sections, ct);
        return Ok(new BulkHardwareUpdateResponse(refresh.BatchId, refresh.Results.Count, refresh.RequestsSent, ApiJson.Time(refresh.EstimatedCompletion),
            refresh.Results.Select(r => new BulkHardwareUpdateResult(r.HostId, OutcomeWord(r.Outcome), r.RequestId, OutcomeDetail(r.Outcome))).ToList()));
    }

    private static string OutcomeWord(InventoryRequestOutcome outcome) => outcome switch
    {
        InventoryRequestOutcome.Sent => "sent",
        InventoryRequestOutcome.Queued => "queued",
        InventoryRequestOutcome.NotApproved => "not_approved",
        _ => "not_found",
    };

    private static string? OutcomeDetail(InventoryRequestOutcome outcome) => outcome switch
    {
        InventoryRequestOutcome.Sent => null,
        InventoryRequestOutcome.Queued => "The host's agent is offline; it gets the request when it reconnects.",
        InventoryRequestOutcome.NotApproved => "The host is not approved; no request was sent.",
        _ => "Host not found; no request was sent.",
    };

    public static Task<DecisionResult> ApproveHost([FromRoute(Name = "host_id")] string hostId, IHostOperations operations, CancellationToken ct) =>
        Decide(hostId, "approved", "Host approved", operations.ApproveAsync, ct);

    public static Task<DecisionResult> RejectHost([FromRoute(Name = "host_id")] string hostId, IHostOperations operations, CancellationToken ct) =>
        Decide(hostId, "rejected", "Host rejected", operations.RejectAsync, ct);

    public static Task<DecisionResult> RevokeHost([FromRoute(Name = "host_id")] string hostId, IHostOperations operations, CancellationToken ct) =>
        Decide(hostId, "revoked", "Host revoked", operations.RevokeAsync, ct);

    public static Task<DecisionResult> ApproveReenrolment([FromRoute(Name = "host_id")] string hostId, IHostOperations operations, CancellationToken ct) =>
        Decide(hostId, "reenrolment_approved", "Re-enrolment approved", operations.ApproveReenrolmentAsync, ct);

    public static Task<DecisionResult> RejectReenrolment([FromRoute(Name = "host_id")] string hostId, IHostOperations operations, CancellationToken ct) =>
        Decide(hostId, "reenrolment_rejected", "Re-enrolment rejected", operations.RejectReenrolmentAsync, ct);

    private static async Task<DecisionResult> Decide(string hostId, string status, string message, Func<Guid, CancellationToken, Task> decide, CancellationToken ct)
    {
        if (!Guid.TryParse(hostId, out var id)) return InvalidHostId(hostId);
        try
        {
            await decide(id, ct);
            return Ok(new HostDecisionResponse(message, id, status));
        }
        catch (HostNotFoundException)
        {
            return NotFound("Host not found.");
        }
        catch (DomainException illegal)
        {
            return Conflict(illegal.Message);
        }
    }

    private static async Task<RefreshResult> RequestRefresh(string hostId, InventorySections sections, string message, IHostOperations operations, CancellationToken ct)
    {
        if (!Guid.TryParse(hostId, out var id)) return InvalidHostId(hostId);
        var refresh = await operations.RequestInventoryAsync([id], sections, ct);
        var result = refresh.Results[0];
        return result.Outcome switch
        {
            InventoryRequestOutcome.NotFound => NotFound("Host not found."),
            InventoryRequestOutcome.NotApproved => Conflict("The host is not approved; no request was sent."),
            _ => Ok(new RefreshRequestedResponse(message, result.RequestId!.Value, ApiJson.Time(refresh.EstimatedCompletion))),
        };
    }

    private static async Task<Results<JsonHttpResult<TResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> WithSection<T, TResponse>(
        string hostId, InventorySections section, FleetReader reader, CancellationToken ct, Func<InventorySection<T>, TResponse> shape)
    {
        if (!Guid.TryParse(hostId, out var id)) return InvalidHostId(hostId);
        if (!await reader.HostExistsAsync(id, ct)) return NotFound("Host not found.");
        return Ok(shape(await reader.GetSectionAsync<T>(id, section, ct)));
    }
}
