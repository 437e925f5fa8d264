using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Security;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Refusal = Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Fleet.Web.Api.StageRuns.ErrorEnvelope>;

namespace Fleet.Web.Api.StageRuns;

/// <summary>
/// Seed 004: stage runs and target runs, every answer in the <c>{code, message, content}</c> envelope. Parses the
/// wire format, asks <see cref="ITargetRunService"/>, and maps its answers and refusals (unknown id → 404, a broken
/// rule → 400) back.
/// </summary>
public static class StageRunsApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    // Seed 004's PUT lists every status but timeout: a run times out only by the clock.
    private const string UpdatableStatuses = "pending, queued, processing, dispatched, running, complete, success, failure, cancelled, invalid";

    public static IEndpointRouteBuilder MapStageRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v0/stageruns").RequireAuthorization(Roles.Viewer).WithTags("Stage runs");
        api.MapGet("", ListStageRuns).WithName("ListStageRuns").WithSummary("All stage runs with counts per status");
        api.MapGet("/{stage_run_id}", GetStageRun).WithName("GetStageRun").WithSummary("One stage run with counts per status");
        api.MapGet("/{stage_run_id}/targetruns", ListTargetRuns).WithName("ListTargetRuns").WithSummary("Get all target runs of a stage run");
        api.MapGet("/{stage_run_id}/targetruns/{target_run_id}", GetTargetRun).WithName("GetTargetRun").WithSummary("Get a target run");
        api.MapGet("/{stage_run_id}/targetruns/{target_run_id}/command", GetCommand).WithName("GetTargetRunCommand").WithSummary("Status of the target run's command");
        var operate = api.MapGroup("").RequireAuthorization(Roles.Operator);
        operate.MapPost("/{stage_run_id}/targetruns", CreateTargetRun).WithName("CreateTargetRun").WithSummary("Create a target run");
        operate.MapPut("/{stage_run_id}/targetruns/{target_run_id}", UpdateTargetRun).WithName("UpdateTargetRun").WithSummary("Update a target run");
        operate.MapPost("/{stage_run_id}/targetruns/{target_run_id}/command", CreateCommand).WithName("CreateTargetRunCommand").WithSummary("Create the target run's command");
        operate.MapPut("/{stage_run_id}/targetruns/{target_run_id}/command/{command_id}", UpdateCommand).WithName("UpdateTargetRunCommand").WithSummary("Cancel the target run's command");
        return app;
    }

    public static async Task<JsonHttpResult<Envelope<List<StageRunView>>>> ListStageRuns(ITargetRunService runs, CancellationToken ct) =>
        Ok((await runs.ListStageRunsAsync(1000, ct)).Select(StageRunView.From).ToList());

    public static async Task<Results<JsonHttpResult<Envelope<StageRunView>>, Refusal>> GetStageRun([FromRoute(Name = "stage_run_id")] string stageRunId,
        ITargetRunService runs, CancellationToken ct) =>
        Guid.TryParse(stageRunId, out var id) && await runs.GetStageRunAsync(id, ct) is { } stage
            ? Ok(StageRunView.From(stage))
            : StageNotFound(stageRunId);

    public static async Task<Results<JsonHttpResult<Envelope<TargetRunList>>, Refusal>> ListTargetRuns([FromRoute(Name = "stage_run_id")] string stageRunId,
        [FromQuery] string? status, [FromQuery(Name = "stage_run_operation_id")] string? operationId, [FromQuery] string? ordering,
        ITargetRunService runs, CancellationToken ct)
    {
        if (ordering is not (null or "" or "status" or "-status")) return BadRequest("ordering must be \"status\" or \"-status\".");
        bool? byStatus = string.IsNullOrEmpty(ordering) ? null : ordering == "status";
        TargetRunStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!StatusRules.TryParseTargetRunStatus(status, out var parsed))
                return BadRequest($"Unknown status '{status}'; use one of: {string.Join(", ", Enum.GetValues<TargetRunStatus>().Select(s => s.Wire()))}.");
            wanted = parsed;
        }
        Guid? operation = null;
        if (!string.IsNullOrEmpty(operationId))
        {
            if (!Guid.TryParse(operationId, out var parsed)) return BadRequest("stage_run_operation_id must be a uuid.");
            operation = parsed;
        }
        if (!Guid.TryParse(stageRunId, out var id) || await runs.ListTargetRunsAsync(new TargetRunQuery(id, wanted, operation, byStatus), ct) is not { } list)
            return StageNotFound(stageRunId);
        return Ok(new TargetRunList(list.Count, list.Select(TargetRunView.From).ToList()));
    }

    public static async Task<Results<JsonHttpResult<Envelope<TargetRunView[]>>, Refusal>> CreateTargetRun([FromRoute(Name = "stage_run_id")] string stageRunId,
        HttpRequest request, ITargetRunService runs, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<TargetRunRequest>(request, Json);
        if (body is null) return BadRequest(error!);
        if (!Guid.TryParse(body.TargetId, out var hostId)) return BadRequest("target_id is required and must be a uuid.");
        if (FieldLimits.Name(body.DeviceName) is { } longName) return Unprocessable($"device_name {longName}.");
        if (FieldLimits.Name(body.DeviceAlias) is { } longAlias) return Unprocessable($"device_alias {longAlias}.");
        if (!Guid.TryParse(stageRunId, out var stage)) return StageNotFound(stageRunId);
        return await AttemptAsync(() => runs.AddTargetRunAsync(stage, hostId, body.DeviceName, body.DeviceAlias, ct), run => new[] { TargetRunView.From(run) });
    }

    public static async Task<Results<JsonHttpResult<Envelope<TargetRunView>>, Refusal>> GetTargetRun([FromRoute(Name = "stage_run_id")] string stageRunId,
        [FromRoute(Name = "target_run_id")] string targetRunId, ITargetRunService runs, CancellationToken ct) =>
        TryParseIds(stageRunId, targetRunId) is (var stage, var run) && await runs.GetTargetRunAsync(stage, run, ct) is { } found
            ? Ok(TargetRunView.From(found))
            : RunNotFound(stageRunId, targetRunId);

    public static async Task<Results<JsonHttpResult<Envelope<TargetRunView>>, Refusal>> UpdateTargetRun([FromRoute(Name = "stage_run_id")] string stageRunId,
        [FromRoute(Name = "target_run_id")] string targetRunId, HttpRequest request, ITargetRunService runs, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<TargetRunUpdate>(request, Json);
        if (body is null) return BadRequest(error!);
        if (FieldLimits.Name(body.DeviceName) is { } tooLong) return Unprocessable($"device_name {tooLong}.");
        TargetRunStatus? to = null;
        if (body.Status is { } status)
        {
            if (status == "timeout" || !StatusRules.TryParseTargetRunStatus(status, out var parsed))
                return BadRequest($"Unknown status '{status}'; use one of: {UpdatableStatuses}.");
            to = parsed;
        }
        if (TryParseIds(stageRunId, targetRunId) is not (var stage, var run)) return RunNotFound(stageRunId, targetRunId);
        return await AttemptAsync(() => runs.UpdateTargetRunAsync(stage, run, to, body.DeviceName, request.HttpContext.ActorName(), ct), TargetRunView.From);
    }

    public static async Task<Results<JsonHttpResult<Envelope<CommandViewModel>>, Refusal>> GetCommand([FromRoute(Name = "stage_run_id")] string stageRunId,
        [FromRoute(Name = "target_run_id")] string targetRunId, ITargetRunService runs, CancellationToken ct)
    {
        if (TryParseIds(stageRunId, targetRunId) is not (var stage, var run)) return RunNotFound(stageRunId, targetRunId);
        var (found, command) = await runs.GetCommandAsync(stage, run, ct);
        if (found is null) return RunNotFound(stageRunId, targetRunId);
        return command is null ? NotFound($"Target run '{targetRunId}' has no command yet.") : Ok(CommandViewModel.From(command));
    }

    public static async Task<Results<JsonHttpResult<Envelope<CommandViewModel>>, Refusal>> CreateCommand([FromRoute(Name = "stage_run_id")] string stageRunId,
        [FromRoute(Name = "target_run_id")] string targetRunId, HttpRequest request, IOptions<LimitOptions> limits, ITargetRunService runs, CancellationToken ct)
    {
        var (parsed, error) = await ApiJson.ReadOptionalBodyAsync<CommandCreate>(request, Json);
        if (error is not null) return BadRequest(error);
        var body = parsed ?? new CommandCreate(null, null, null);
        if (FieldLimits.Script(body.Script ?? body.Command, limits.Value.MaxScriptBytes) is { } tooLarge)
            return Unprocessable($"{(body.Script is null ? "command" : "script")} {tooLarge}.");
        if (body.Timeout is <= 0 or > 86_400) return BadRequest("timeout must be between 1 and 86400 seconds.");
        if (TryParseIds(stageRunId, targetRunId) is not (var stage, var run)) return RunNotFound(stageRunId, targetRunId);
        return await AttemptAsync(() => runs.CreateCommandAsync(stage, run, body.Script ?? body.Command, body.Timeout, ct), CommandViewModel.From);
    }

    public static async Task<Results<JsonHttpResult<Envelope<CommandViewModel>>, Refusal>> UpdateCommand([FromRoute(Name = "stage_run_id")] string stageRunId,
        [FromRoute(Name = "target_run_id")] string targetRunId, [FromRoute(Name = "command_id")] string commandId, HttpRequest request,
        ITargetRunService runs, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<CommandUpdate>(request, Json);
        if (body is null) return BadRequest(error!);
        if (body.RequestStatus != "cancelled") return BadRequest("request_status must be \"cancelled\".");
        if (!Guid.TryParse(commandId, out var id)) return NotFound($"Command '{commandId}' not found.");
        if (TryParseIds(stageRunId, targetRunId) is not (var stage, var run)) return NotFound($"Command '{commandId}' not found for target run '{targetRunId}'.");
        return await AttemptAsync(() => runs.CancelCommandAsync(stage, run, id, request.HttpContext.ActorName(), ct),
            command => CommandViewModel.From(command) with { RequestStatus = "cancelled" });
    }

    /// <summary>Runs an engine change and maps its refusals: an unknown id → 404, a broken rule → 400.</summary>
    private static async Task<Results<JsonHttpResult<Envelope<T>>, Refusal>> AttemptAsync<TResult, T>(Func<Task<TResult>> change, Func<TResult, T> view)
    {
        try
        {
            return Ok(view(await change()));
        }
        catch (TargetRunNotFoundException gone)
        {
            return NotFound(gone.Message);
        }
        catch (DomainException illegal)
        {
            return BadRequest(illegal.Message);
        }
    }

    private static (Guid Stage, Guid Run)? TryParseIds(string stageRunId, string targetRunId) =>
        Guid.TryParse(stageRunId, out var stage) && Guid.TryParse(targetRunId, out var run) ? (stage, run) : null;

    private static JsonHttpResult<Envelope<T>> Ok<T>(T content) => TypedResults.Json(new Envelope<T>(0, "success", content), Json);

    private static Refusal Refuse(int status, string message) => TypedResults.Json(new ErrorEnvelope(status, message), Json, statusCode: status);

    private static Refusal BadRequest(string message) => Refuse(StatusCodes.Status400BadRequest, message);

    /// <summary>A field over its size limit: seed 004 lists no validation shape beyond the envelope, so 422 goes in it.</summary>
    private static Refusal Unprocessable(string message) => Refuse(StatusCodes.Status422UnprocessableEntity, message);

    private static Refusal NotFound(string message) => Refuse(StatusCodes.Status404NotFound, message);

    private static Refusal StageNotFound(string stageRunId) => NotFound($"Stage run '{stageRunId}' not found.");

    private static Refusal RunNotFound(string stageRunId, string targetRunId) => NotFound($"Target run '{targetRunId}' not found in stage run '{stageRunId}'.");
}
