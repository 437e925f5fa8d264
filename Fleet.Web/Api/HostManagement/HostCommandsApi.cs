using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Domain.Security;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Fleet.Web.Engine.Orchestration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

using static Fleet.Web.Api.HostManagement.HostApiResults;

namespace Fleet.Web.Api.HostManagement;

/// <summary>Seed 001's host operations — command, broadcast, reboot, shutdown — over the engine's command runner and power service.</summary>
public static class HostCommandsApi
{
    public const int MaxTimeoutSeconds = 3600;

    public static IEndpointRouteBuilder MapHostCommandsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Roles.Operator).WithTags("Host management");
        api.MapPost("/fleet/agent/{hostname}/command", RunCommand).WithName("RunHostCommand").WithSummary("Execute a command on a specific host");
        api.MapPost("/fleet/broadcast/command", Broadcast).WithName("BroadcastCommand").WithSummary("Execute a command across multiple hosts");
        api.MapPost("/host/reboot/{host_id}", Reboot).WithName("RebootHost").WithSummary("Reboot a specific host");
        api.MapPost("/host/shutdown/{host_id}", Shutdown).WithName("ShutdownHost").WithSummary("Shut down a specific host");
        return app;
    }

    public static async Task<Results<JsonHttpResult<HostCommandResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> RunCommand(
        string hostname, HttpRequest request, IOptions<LimitOptions> limits, CommandRunner runner, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<HostCommandRequest>(request, ApiJson.SnakeCase);
        if (body is null) return Invalid(["body"], error!);
        if (CheckCommand(body.Command, body.Timeout, limits.Value) is { } invalid) return invalid;
        var timeout = body.Timeout ?? DefaultTimeoutSeconds;
        try
        {
            var result = await runner.RunOnHostAsync(hostname, body.Command!, timeout, request.HttpContext.ActorName(), ct);
            return Ok(new HostCommandResponse(result.TargetRunId, CommandStatusWord(result.Status), result.Stdout, result.Stderr, result.ExitCode,
                result.ExecutionSeconds));
        }
        catch (HostNotFoundException)
        {
            return NotFound($"Agent '{hostname}' not found.");
        }
        catch (DomainException refused)
        {
            return Conflict(refused.Message);
        }
    }

    public static async Task<Results<JsonHttpResult<BroadcastResponse>, JsonHttpResult<ValidationError>>> Broadcast(
        HttpRequest request, IOptions<LimitOptions> limits, CommandRunner runner, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<BroadcastRequest>(request, ApiJson.SnakeCase);
        if (body is null) return Invalid(["body"], error!);
        if (CheckCommand(body.Command, body.Timeout, limits.Value) is { } invalid) return invalid;
        if (body.Hostnames is not { Count: > 0 }) return Invalid(["body", "hostnames"], "hostnames must be a non-empty list.");
        if (body.Hostnames.Count > InvocationService.MaxTargets) return Invalid(["body", "hostnames"], $"At most {InvocationService.MaxTargets} hostnames per broadcast.");

        var outcome = await runner.BroadcastAsync(body.Command!, body.Hostnames, body.Timeout ?? DefaultTimeoutSeconds, body.Parallel != false,
            request.HttpContext.ActorName(), ct);
        var results = outcome.Ran.Select(r => new BroadcastResult(r.Hostname, BroadcastStatusWord(r.Status), r.ExitCode, r.Stdout + r.Stderr, r.ExecutionSeconds))
            .Concat(outcome.Unknown.Select(h => new BroadcastResult(h, "not_found", null, "", 0)))
            .ToList();
        // Seed 001 always answers a batch id; when nothing ran there is no task to name, so it identifies only this answer.
        return Ok(new BroadcastResponse(outcome.BatchId ?? Guid.NewGuid(), outcome.Requested, results));
    }

    public static Task<Results<JsonHttpResult<PowerResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> Reboot(
        [FromRoute(Name = "host_id")] string hostId, HttpRequest request, IPowerService power, CancellationToken ct) =>
        Power(hostId, PowerKind.Reboot, "Reboot command sent successfully", request, power, ct);

    public static Task<Results<JsonHttpResult<PowerResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> Shutdown(
        [FromRoute(Name = "host_id")] string hostId, HttpRequest request, IPowerService power, CancellationToken ct) =>
        Power(hostId, PowerKind.Shutdown, "Shutdown command sent successfully", request, power, ct);

    private const int DefaultTimeoutSeconds = 30;

    private static JsonHttpResult<ValidationError>? CheckCommand(string? command, int? timeout, LimitOptions limits)
    {
        if (string.IsNullOrWhiteSpace(command)) return Invalid(["body", "command"], "command is required.");
        if (FieldLimits.Script(command, limits.MaxScriptBytes) is { } tooLarge) return Invalid(["body", "command"], $"command {tooLarge}.");
        if (timeout is < 1 or > MaxTimeoutSeconds) return Invalid(["body", "timeout"], $"timeout must be between 1 and {MaxTimeoutSeconds} seconds.");
        return null;
    }

    private static async Task<Results<JsonHttpResult<PowerResponse>, JsonHttpResult<DetailError>, JsonHttpResult<ValidationError>>> Power(
        string hostId, PowerKind kind, string message, HttpRequest request, IPowerService power, CancellationToken ct)
    {
        if (!Guid.TryParse(hostId, out var id)) return InvalidHostId(hostId);
        var (parsed, error) = await ApiJson.ReadOptionalBodyAsync<PowerRequest>(request, ApiJson.SnakeCase);
        if (error is not null) return Invalid(["body"], error);
        var order = new PowerOrder(kind, parsed?.Force ?? false, parsed?.DelaySeconds ?? 0, parsed?.Message);
        if (order.Problem is { } problem)
            return Invalid(["body", problem.Field == PowerOrderField.Delay ? "delay_seconds" : "message"], problem.Reason);
        try
        {
            var sent = await power.RequestAsync(id, order, request.HttpContext.ActorName(), ct);
            return Ok(new PowerResponse(message, ApiJson.Time(sent.ScheduledAt), sent.TargetRunId));
        }
        catch (HostNotFoundException)
        {
            return NotFound("Host not found.");
        }
        catch (DomainException refused)
        {
            return Conflict(refused.Message);
        }
    }

    /// <summary>Seed 001 calls a finished command "executed"; other endings say what happened.</summary>
    private static string CommandStatusWord(TargetRunStatus status) => status switch
    {
        TargetRunStatus.Success or TargetRunStatus.Failure => "executed",
        TargetRunStatus.Timeout => "timeout",
        TargetRunStatus.Cancelled => "cancelled",
        _ => "running",
    };

    private static string BroadcastStatusWord(TargetRunStatus status) => status switch
    {
        TargetRunStatus.Success => "completed",
        TargetRunStatus.Failure or TargetRunStatus.Invalid => "failed",
        TargetRunStatus.Timeout => "timeout",
        TargetRunStatus.Cancelled => "cancelled",
        _ => "running",
    };
}
