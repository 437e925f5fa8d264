using Fleet.Domain;
using Fleet.Domain.Orchestration;
using Fleet.Domain.Security;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Orchestration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using static Fleet.Web.Api.HostManagement.HostApiResults;

namespace Fleet.Web.Api.HostManagement;

/// <summary>Seed 001's reboot pre-check and orchestrated reboot of a parent host with child hosts, over <see cref="IRebootOrchestrations"/>.</summary>
public static class RebootOrchestrationApi
{
    public static IEndpointRouteBuilder MapRebootOrchestrationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/host/{host_id}/reboot").WithTags("Host management");
        api.MapGet("/pre-check", PreCheck).RequireAuthorization(Roles.Viewer)
            .WithName("RebootPreCheck").WithSummary("Pre-check before rebooting a parent host: its running child hosts");
        api.MapPost("/orchestrated", StartOrchestrated).RequireAuthorization(Roles.Operator)
            .WithName("StartOrchestratedReboot").WithSummary("Stop the child hosts, reboot the parent, start the children again (Professional+)");
        api.MapGet("/orchestration/{orchestration_id}", GetOrchestration).RequireAuthorization(Roles.Viewer)
            .WithName("GetRebootOrchestration").WithSummary("Status of a reboot orchestration, per-child restart status and phase time stamps");
        return app;
    }

    public static async Task<Results<JsonHttpResult<RebootPreCheckResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> PreCheck(
        [FromRoute(Name = "host_id")] string hostId, IRebootOrchestrations orchestrations, CancellationToken ct)
    {
        if (!Guid.TryParse(hostId, out var id)) return InvalidHostId(hostId);
        try
        {
            var check = await orchestrations.PreCheckAsync(id, ct);
            return Ok(new RebootPreCheckResponse(
                check.HasRunningChildren,
                check.RunningChildren.Select(c => new RunningChildWire(c.Id, c.Name, c.Type, c.Status)).ToList(),
                check.RunningChildren.Count,
                check.Children.Count,
                check.HasContainerEngine));
        }
        catch (HostNotFoundException)
        {
            return NotFound("Host not found");
        }
    }

    public static async Task<Results<JsonHttpResult<OrchestratedRebootResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> StartOrchestrated(
        [FromRoute(Name = "host_id")] string hostId, HttpRequest request, IRebootOrchestrations orchestrations, CancellationToken ct)
    {
        if (!Guid.TryParse(hostId, out var id)) return InvalidHostId(hostId);
        try
        {
            var started = await orchestrations.StartAsync(id, request.HttpContext.ActorName(), ct);
            return Ok(new OrchestratedRebootResponse(started.Id, started.Status.Wire(), started.Children.Count));
        }
        catch (HostNotFoundException)
        {
            return NotFound("Host not found");
        }
        catch (LicenseRequiredException licence)
        {
            return Error(StatusCodes.Status402PaymentRequired, licence.Message);
        }
        catch (DomainException refused)
        {
            return Error(StatusCodes.Status400BadRequest, refused.Message);
        }
    }

    public static async Task<Results<JsonHttpResult<OrchestrationResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> GetOrchestration(
        [FromRoute(Name = "host_id")] string hostId, [FromRoute(Name = "orchestration_id")] string orchestrationId, IRebootOrchestrations orchestrations,
        CancellationToken ct)
    {
        if (!Guid.TryParse(hostId, out var id)) return InvalidHostId(hostId);
        if (!Guid.TryParse(orchestrationId, out var orchestration))
            return Invalid(["path", "orchestration_id"], $"'{orchestrationId}' is not a valid UUID.");
        var view = await orchestrations.GetAsync(id, orchestration, ct);
        if (view is null) return NotFound("Orchestration not found");
        return Ok(new OrchestrationResponse(
            view.Id,
            view.ParentHostId,
            view.Status.Wire(),
            view.Children.Select(c => new ChildSnapshotWire(c.Id, c.Name, c.Type, c.PreRebootStatus)).ToList(),
            view.Children.Select(c => new ChildRestartWire(c.Id, c.Name, c.RestartStatus, c.Error)).ToList(),
            view.ShutdownTimeoutSeconds,
            view.InitiatedBy,
            ApiJson.Time(view.InitiatedAt),
            ApiJson.Time(view.ShutdownCompletedAt),
            ApiJson.Time(view.RebootIssuedAt),
            ApiJson.Time(view.AgentReconnectedAt),
            ApiJson.Time(view.RestartCompletedAt),
            view.ErrorMessage));
    }
}

public sealed record RunningChildWire(Guid Id, string ChildName, string ChildType, string Status);

public sealed record RebootPreCheckResponse(bool HasRunningChildren, IReadOnlyList<RunningChildWire> RunningChildren, int RunningCount, int TotalChildren, bool HasContainerEngine);

public sealed record OrchestratedRebootResponse(Guid OrchestrationId, string Status, int ChildCount);

public sealed record ChildSnapshotWire(Guid Id, string ChildName, string ChildType, string PreRebootStatus);

public sealed record ChildRestartWire(Guid Id, string ChildName, string RestartStatus, string? Error);

public sealed record OrchestrationResponse(
    Guid OrchestrationId,
    Guid ParentHostId,
    string Status,
    IReadOnlyList<ChildSnapshotWire> ChildHostsSnapshot,
    IReadOnlyList<ChildRestartWire> ChildHostsRestartStatus,
    int ShutdownTimeoutSeconds,
    string InitiatedBy,
    string InitiatedAt,
    string? ShutdownCompletedAt,
    string? RebootIssuedAt,
    string? AgentReconnectedAt,
    string? RestartCompletedAt,
    string? ErrorMessage);
