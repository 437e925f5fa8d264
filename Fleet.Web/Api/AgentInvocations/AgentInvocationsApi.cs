using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Domain;
using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Security;
using Fleet.Web.Audit;
using Fleet.Web.Engine.AgentMaintenance;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Refusal = Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Fleet.Web.Api.AgentInvocations.TaskErrorBody>;

namespace Fleet.Web.Api.AgentInvocations;

/// <summary>
/// Seed 003: agent maintenance tasks. Validates the body with the domain's rules (one <c>taskmgr</c> code each), checks
/// the role the task type needs, and hands the request to <see cref="IAgentMaintenance"/>, which answers per instance.
/// </summary>
public static class AgentInvocationsApi
{
    public const string Prefix = "/v3";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IEndpointRouteBuilder MapAgentInvocationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix + "/{project_id}/agent-invocations").RequireAuthorization(Roles.Viewer).WithTags("Agent maintenance tasks");
        api.MapGet("", ListInvocations).WithName("ListAgentInvocations").WithSummary("Agent maintenance tasks, newest first, with filters and paging");
        api.MapGet("/{invocation_id}", GetInvocation).WithName("GetAgentInvocation").WithSummary("One agent maintenance task");
        // Operator at the door; REMOTE_INSTALL and SET_REMOTE_INSTALL_HOST need admin, checked once the type is read.
        api.MapPost("/batch-create", BatchCreate).RequireAuthorization(Roles.Operator)
            .WithName("BatchCreateAgentInvocations").WithSummary("Creating Agent maintenance Tasks in Batches");
        return app;
    }

    public static async Task<Results<JsonHttpResult<BatchCreateResponse>, Refusal>> BatchCreate([FromRoute(Name = "project_id")] string projectId,
        HttpRequest request, IAgentMaintenance maintenance, CancellationToken ct)
    {
        string body;
        using (var reader = new StreamReader(request.Body))
            body = await reader.ReadToEndAsync(ct);
        var (parsed, error) = AgentInvocationRequest.Parse(projectId, body);
        if (parsed is null) return Refuse(StatusCodes.Status400BadRequest, error!);
        var caller = Caller(request.HttpContext);
        if (!Roles.Implied(caller.Role).Contains(parsed.Type.MinimumRole()))
            return Refuse(StatusCodes.Status403Forbidden, TaskErrors.Forbidden($"{parsed.Type.Word()} needs the {parsed.Type.MinimumRole()} role."));
        try
        {
            var results = await maintenance.BatchCreateAsync(parsed, caller, ct);
            return TypedResults.Json(new BatchCreateResponse(results.Select(BatchCreateInvocationInfo.From).ToList()), Json, statusCode: StatusCodes.Status201Created);
        }
        catch (DomainException e)
        {
            return Refuse(StatusCodes.Status400BadRequest, new TaskError(TaskErrors.MalformedBody.Code, e.Message));
        }
    }

    public static async Task<Results<JsonHttpResult<AgentInvocationList>, Refusal>> ListInvocations([FromRoute(Name = "project_id")] string projectId,
        [FromQuery(Name = "invocation_id")] string? invocationId, [FromQuery(Name = "instance_id")] string? instanceId,
        [FromQuery(Name = "invocation_type")] string? invocationType, [FromQuery(Name = "invocation_status")] string? invocationStatus,
        [FromQuery] string? offset, [FromQuery] string? limit, IAgentMaintenance maintenance, CancellationToken ct)
    {
        if (!AgentInvocationRequest.IsValidProjectId(projectId)) return Refuse(StatusCodes.Status400BadRequest, TaskErrors.ProjectId());
        if (invocationId is { Length: > 0 } && !AgentInvocationRequest.IsValidId(invocationId))
            return Refuse(StatusCodes.Status400BadRequest, TaskErrors.QueryParameter("invocation_id", "must be 1 to 64 letters, digits or '-'."));
        if (instanceId is { Length: > 0 } && !AgentInvocationRequest.IsValidId(instanceId))
            return Refuse(StatusCodes.Status400BadRequest, TaskErrors.QueryParameter("instance_id", "must be 1 to 64 letters, digits or '-'."));
        var type = AgentMaintenanceWords.ParseType(invocationType);
        if (!string.IsNullOrEmpty(invocationType) && type is null)
            return Refuse(StatusCodes.Status400BadRequest, TaskErrors.QueryParameter("invocation_type", "must be INSTALL, UPDATE, ROLLBACK, RETRY or REMOTE_INSTALL."));
        var status = AgentMaintenanceWords.ParseStatus(invocationStatus);
        if (!string.IsNullOrEmpty(invocationStatus) && status is null)
            return Refuse(StatusCodes.Status400BadRequest,
                TaskErrors.QueryParameter("invocation_status", "must be WAITING, RUNNING, SUCCEEDED, FAILED, TIMEOUT or ROLLBACKED."));
        if (!TryCount(offset, 0, int.MaxValue, 0, out var skip))
            return Refuse(StatusCodes.Status400BadRequest, TaskErrors.QueryParameter("offset", "must be a whole number of at least 0."));
        if (!TryCount(limit, 1, AgentMaintenanceService.MaxPageSize, 100, out var take))
            return Refuse(StatusCodes.Status400BadRequest, TaskErrors.QueryParameter("limit", $"must be a whole number from 1 to {AgentMaintenanceService.MaxPageSize}."));
        var page = await maintenance.ListAsync(new AgentInvocationFilter(Blank(invocationId), Blank(instanceId), type, status, skip, take), ct);
        return TypedResults.Json(new AgentInvocationList(page.Items.Select(AgentInvocationInfo.From).ToList(), page.Count), Json);
    }

    public static async Task<Results<JsonHttpResult<AgentInvocationInfo>, Refusal>> GetInvocation([FromRoute(Name = "project_id")] string projectId,
        [FromRoute(Name = "invocation_id")] string invocationId, IAgentMaintenance maintenance, CancellationToken ct)
    {
        if (!AgentInvocationRequest.IsValidProjectId(projectId)) return Refuse(StatusCodes.Status400BadRequest, TaskErrors.ProjectId());
        var found = AgentInvocationRequest.IsValidId(invocationId) ? await maintenance.GetAsync(invocationId, ct) : null;
        return found is null
            ? Refuse(StatusCodes.Status404NotFound, TaskErrors.NotFound($"Agent invocation '{Clip(invocationId)}' does not exist."))
            : TypedResults.Json(AgentInvocationInfo.From(found), Json);
    }

    private static MaintenanceCaller Caller(HttpContext context)
    {
        var user = context.User;
        var role = user.IsInRole(Roles.Admin) ? Roles.Admin : user.IsInRole(Roles.Operator) ? Roles.Operator : Roles.Viewer;
        var kind = user.HasClaim(c => c.Type == Security.FleetClaims.TokenId) ? AuditActorKinds.Token : AuditActorKinds.User;
        return new MaintenanceCaller(context.ActorName(), role, kind);
    }

    private static bool TryCount(string? text, int min, int max, int fallback, out int value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static Refusal Refuse(int status, TaskError error) => TypedResults.Json(TaskErrorBody.From(error), Json, statusCode: status);
}
