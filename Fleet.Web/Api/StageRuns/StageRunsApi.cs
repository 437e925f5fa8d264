using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Domain.Security;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Api.StageRuns;

/// <summary>Seed 004: stage runs and target runs, every answer in the <c>{code, message, content}</c> envelope.</summary>
public static class StageRunsApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

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

    public sealed record TargetRunRequest(string? TargetId, string? DeviceName, string? DeviceAlias);

    public sealed record TargetRunUpdate(string? Status, string? DeviceName);

    public sealed record CommandCreate(string? Script, string? Command, int? Timeout);

    public sealed record CommandUpdate(string? RequestStatus);

    public static async Task<IResult> ListStageRuns(IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stages = await db.StageRuns.AsNoTracking().OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Index).Take(1000).ToListAsync(ct);
        var ids = stages.Select(s => s.Id).ToList();
        var counts = await CountsAsync(db, ids, ct);
        return Ok(stages.Select(s => Stage(s, counts.GetValueOrDefault(s.Id) ?? [])).ToList());
    }

    public static async Task<IResult> GetStageRun([FromRoute(Name = "stage_run_id")] string stageRunId, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await FindStageAsync(db, stageRunId, ct) is not { } stage) return NotFound($"Stage run '{stageRunId}' not found.");
        var counts = await CountsAsync(db, [stage.Id], ct);
        return Ok(Stage(stage, counts.GetValueOrDefault(stage.Id) ?? []));
    }

    public static async Task<IResult> ListTargetRuns([FromRoute(Name = "stage_run_id")] string stageRunId, [FromQuery] string? status,
        [FromQuery(Name = "stage_run_operation_id")] string? operationId, [FromQuery] string? ordering, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        if (ordering is not (null or "" or "status" or "-status")) return BadRequest("ordering must be \"status\" or \"-status\".");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await FindStageAsync(db, stageRunId, ct) is not { } stage) return NotFound($"Stage run '{stageRunId}' not found.");
        var runs = db.TargetRuns.AsNoTracking().Where(r => r.StageRunId == stage.Id);
        if (!string.IsNullOrEmpty(status))
        {
            if (!StatusRules.TryParseTargetRunStatus(status, out var wanted)) return BadRequest($"Unknown status '{status}'; use one of: {string.Join(", ", Enum.GetValues<TargetRunStatus>().Select(s => s.Wire()))}.");
            runs = runs.Where(r => r.Status == wanted);
        }
        if (!string.IsNullOrEmpty(operationId))
        {
            // Each stage run has one operation here: its invocation's; an id in the uuid form of the stage run itself also matches.
            if (!Guid.TryParse(operationId, out var operation)) return BadRequest("stage_run_operation_id must be a uuid.");
            if (operation != stage.Id) runs = runs.Where(_ => false);
        }
        var list = await runs.ToListAsync(ct);
        IEnumerable<TargetRun> ordered = ordering switch
        {
            null or "" => list.OrderBy(r => r.Position),
            "status" => list.OrderBy(r => r.Status.Wire(), StringComparer.Ordinal).ThenBy(r => r.Position),
            _ => list.OrderByDescending(r => r.Status.Wire(), StringComparer.Ordinal).ThenBy(r => r.Position),
        };
        return Ok(new { count = list.Count, results = ordered.Select(Run).ToList() });
    }

    public static async Task<IResult> CreateTargetRun([FromRoute(Name = "stage_run_id")] string stageRunId, HttpRequest request,
        IDbContextFactory<FleetDbContext> dbFactory, IFleetEvents events, TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<TargetRunRequest>(request, Json);
        if (body is null) return BadRequest(error!);
        if (!Guid.TryParse(body.TargetId, out var hostId)) return BadRequest("target_id is required and must be a uuid.");
        if (FieldLimits.Name(body.DeviceName) is { } longName) return Unprocessable($"device_name {longName}.");
        if (FieldLimits.Name(body.DeviceAlias) is { } longAlias) return Unprocessable($"device_alias {longAlias}.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await FindStageAsync(db, stageRunId, ct) is not { } stage) return NotFound($"Stage run '{stageRunId}' not found.");
        var invocation = await db.Invocations.AsNoTracking().FirstAsync(i => i.Id == stage.InvocationId, ct);
        if (invocation.State == InvocationState.Stopped) return BadRequest("This stage run has finished; target runs can no longer be added.");
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        if (host is null || host.Approval != HostApproval.Approved) return BadRequest($"target_id {hostId} is not an approved host.");
        if (await db.TargetRuns.AnyAsync(r => r.StageRunId == stage.Id && r.HostId == hostId, ct)) return BadRequest($"Target {hostId} already has a target run in this stage run.");
        var position = await db.TargetRuns.Where(r => r.StageRunId == stage.Id).Select(r => (int?)r.Position).MaxAsync(ct) ?? -1;
        var now = clock.GetUtcNow();
        var run = new TargetRun(Guid.NewGuid(), stage.InvocationId, stage.Id, hostId, body.DeviceName ?? host.Hostname, now, body.DeviceAlias, position + 1);
        db.TargetRuns.Add(run);
        await db.SaveChangesAsync(ct);
        events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, hostId, now, stage.InvocationId));
        return Ok(new[] { Run(run) });
    }

    public static async Task<IResult> GetTargetRun([FromRoute(Name = "stage_run_id")] string stageRunId, [FromRoute(Name = "target_run_id")] string targetRunId,
        IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await FindRunAsync(db, stageRunId, targetRunId, tracked: false, ct);
        return run is null ? NotFound($"Target run '{targetRunId}' not found in stage run '{stageRunId}'.") : Ok(Run(run));
    }

    public static async Task<IResult> UpdateTargetRun([FromRoute(Name = "stage_run_id")] string stageRunId, [FromRoute(Name = "target_run_id")] string targetRunId,
        HttpRequest request, IDbContextFactory<FleetDbContext> dbFactory, ExecutionEngine engine, IFleetEvents events, TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<TargetRunUpdate>(request, Json);
        if (body is null) return BadRequest(error!);
        if (FieldLimits.Name(body.DeviceName) is { } tooLong) return Unprocessable($"device_name {tooLong}.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await FindRunAsync(db, stageRunId, targetRunId, tracked: true, ct);
        if (run is null) return NotFound($"Target run '{targetRunId}' not found in stage run '{stageRunId}'.");
        var now = clock.GetUtcNow();
        try
        {
            if (body.Status is { } status)
            {
                if (status == "timeout" || !StatusRules.TryParseTargetRunStatus(status, out var to))
                    return BadRequest($"Unknown status '{status}'; use one of: pending, queued, processing, dispatched, running, complete, success, failure, cancelled, invalid.");
                if (to == TargetRunStatus.Cancelled) run.Cancel(now, $"Cancelled by {request.HttpContext.ActorName()}.");
                else run.MoveTo(to, now);
            }
            run.Rename(body.DeviceName);
            await db.SaveChangesAsync(ct);
        }
        catch (DomainException illegal)
        {
            return BadRequest(illegal.Message);
        }
        events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, run.HostId, now, run.InvocationId));
        engine.Kick(run.InvocationId);
        return Ok(Run(run));
    }

    public static async Task<IResult> GetCommand([FromRoute(Name = "stage_run_id")] string stageRunId, [FromRoute(Name = "target_run_id")] string targetRunId,
        IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await FindRunAsync(db, stageRunId, targetRunId, tracked: false, ct);
        if (run is null) return NotFound($"Target run '{targetRunId}' not found in stage run '{stageRunId}'.");
        var command = run.CommandId is { } id ? await db.Commands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) : null;
        return command is null ? NotFound($"Target run '{targetRunId}' has no command yet.") : Ok(CommandView(command));
    }

    public static async Task<IResult> CreateCommand([FromRoute(Name = "stage_run_id")] string stageRunId, [FromRoute(Name = "target_run_id")] string targetRunId,
        HttpRequest request, IOptions<LimitOptions> limits, IDbContextFactory<FleetDbContext> dbFactory, ExecutionEngine engine, CancellationToken ct)
    {
        var (parsed, error) = await ApiJson.ReadOptionalBodyAsync<CommandCreate>(request, Json);
        if (error is not null) return BadRequest(error);
        var body = parsed ?? new CommandCreate(null, null, null);
        if (FieldLimits.Script(body.Script ?? body.Command, limits.Value.MaxScriptBytes) is { } tooLarge)
            return Unprocessable($"{(body.Script is null ? "command" : "script")} {tooLarge}.");
        if (body.Timeout is <= 0 or > 86_400) return BadRequest("timeout must be between 1 and 86400 seconds.");
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await FindRunAsync(db, stageRunId, targetRunId, tracked: false, ct) is null)
                return NotFound($"Target run '{targetRunId}' not found in stage run '{stageRunId}'.");
        }
        try
        {
            var command = await engine.CommandTargetRunAsync(Guid.Parse(targetRunId), body.Script ?? body.Command, body.Timeout, ct);
            return Ok(CommandView(command));
        }
        catch (DomainException illegal)
        {
            return BadRequest(illegal.Message);
        }
    }

    public static async Task<IResult> UpdateCommand([FromRoute(Name = "stage_run_id")] string stageRunId, [FromRoute(Name = "target_run_id")] string targetRunId,
        [FromRoute(Name = "command_id")] string commandId, HttpRequest request, IDbContextFactory<FleetDbContext> dbFactory, ExecutionEngine engine, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<CommandUpdate>(request, Json);
        if (body is null) return BadRequest(error!);
        if (body.RequestStatus != "cancelled") return BadRequest("request_status must be \"cancelled\".");
        if (!Guid.TryParse(commandId, out var id)) return NotFound($"Command '{commandId}' not found.");
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var run = await FindRunAsync(db, stageRunId, targetRunId, tracked: false, ct);
            if (run is null || run.CommandId != id) return NotFound($"Command '{commandId}' not found for target run '{targetRunId}'.");
        }
        try
        {
            await engine.CancelCommandAsync(id, request.HttpContext.ActorName(), ct);
        }
        catch (DomainException illegal)
        {
            return BadRequest(illegal.Message);
        }
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        return Ok(CommandView(await read.Commands.AsNoTracking().FirstAsync(c => c.Id == id, ct)) with { RequestStatus = "cancelled" });
    }

    private static async Task<StageRun?> FindStageAsync(FleetDbContext db, string stageRunId, CancellationToken ct) =>
        Guid.TryParse(stageRunId, out var id) ? await db.StageRuns.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) : null;

    private static async Task<TargetRun?> FindRunAsync(FleetDbContext db, string stageRunId, string targetRunId, bool tracked, CancellationToken ct)
    {
        if (!Guid.TryParse(stageRunId, out var stageId) || !Guid.TryParse(targetRunId, out var runId)) return null;
        var runs = tracked ? db.TargetRuns : db.TargetRuns.AsNoTracking();
        return await runs.FirstOrDefaultAsync(r => r.Id == runId && r.StageRunId == stageId, ct);
    }

    private static async Task<Dictionary<Guid, Dictionary<string, int>>> CountsAsync(FleetDbContext db, List<Guid> stageIds, CancellationToken ct)
    {
        var rows = await db.TargetRuns.Where(r => stageIds.Contains(r.StageRunId)).TallyAsync(ct);
        return rows.GroupBy(r => r.StageRunId).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Status.Wire(), r => r.Count));
    }

    /// <param name="State">waiting | running | completed | halted — where the wave stands in a rollout.</param>
    public sealed record StageRunView(Guid Id, long InvocationId, int Index, string State, int Size, DateTimeOffset CreatedAt, DateTimeOffset? StartsAt,
        DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? HaltReason, int Total, IReadOnlyDictionary<string, int> Counts);

    public sealed record TargetRunView(Guid Id, Guid StageRunId, Guid StageRunOperationId, long InvocationId, Guid TargetId, string DeviceName, string? DeviceAlias,
        string Status, string? Reason, Guid? CommandId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
        IReadOnlyList<StatusChange> History);

    public sealed record CommandViewModel(Guid Id, Guid TargetRunId, Guid TargetId, string Status, string? RequestStatus, int? ExitCode, string? Error,
        int TimeoutSeconds, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

    private static StageRunView Stage(StageRun s, Dictionary<string, int> counts)
    {
        var all = Enum.GetValues<TargetRunStatus>().ToDictionary(v => v.Wire(), v => counts.GetValueOrDefault(v.Wire()));
        return new StageRunView(s.Id, s.InvocationId, s.Index, s.State.ToString().ToLowerInvariant(), s.Size, s.CreatedAt, s.StartsAt,
            s.StartedAt, s.EndedAt, s.HaltReason, all.Values.Sum(), all);
    }

    private static TargetRunView Run(TargetRun r) => new(r.Id, r.StageRunId, r.StageRunId, r.InvocationId, r.HostId, r.DeviceName, r.DeviceAlias,
        r.Status.Wire(), r.Reason, r.CommandId, r.CreatedAt, r.UpdatedAt, r.StartedAt, r.EndedAt, r.History);

    private static CommandViewModel CommandView(Command c) => new(c.Id, c.TargetRunId, c.HostId, c.Status.Wire(),
        c.Status == CommandStatus.Cancelled ? "cancelled" : null, c.ExitCode, c.Error, c.TimeoutSeconds, c.CreatedAt, c.StartedAt, c.FinishedAt);

    public static object Envelope(int code, string message, object? content) => new { code, message, content };

    private static IResult Ok(object content) => TypedResults.Json(Envelope(0, "success", content), Json);

    private static IResult BadRequest(string message) => TypedResults.Json(Envelope(400, message, null), Json, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>A field over its size limit: seed 004 lists no validation shape beyond the envelope, so 422 goes in it.</summary>
    private static IResult Unprocessable(string message) =>
        TypedResults.Json(Envelope(422, message, null), Json, statusCode: StatusCodes.Status422UnprocessableEntity);

    private static IResult NotFound(string message) => TypedResults.Json(Envelope(404, message, null), Json, statusCode: StatusCodes.Status404NotFound);
}
