using System.Text.Json;
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

using static Fleet.Web.Api.HostApiResults;

namespace Fleet.Web.Api;

/// <summary>Seed 001's host operations — command, broadcast, reboot, shutdown — as invocations on the engine.</summary>
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

    public static async Task<IResult> RunCommand(string hostname, HttpRequest request, IOptions<LimitOptions> limits, CommandRunner runner, IDbContextFactory<FleetDbContext> dbFactory, AgentRegistry registry, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<HostCommandRequest>(request, ApiJson.SnakeCase);
        if (body is null) return Invalid(["body"], error!);
        if (string.IsNullOrWhiteSpace(body.Command)) return Invalid(["body", "command"], "command is required.");
        if (FieldLimits.Script(body.Command, limits.Value.MaxScriptBytes) is { } tooLarge) return Invalid(["body", "command"], $"command {tooLarge}.");
        var timeout = body.Timeout ?? 30;
        if (timeout is < 1 or > MaxTimeoutSeconds) return Invalid(["body", "timeout"], $"timeout must be between 1 and {MaxTimeoutSeconds} seconds.");
        var host = await FindByHostnameAsync(dbFactory, hostname, ct);
        if (host is null) return NotFound($"Agent '{hostname}' not found.");
        if (host.Approval != HostApproval.Approved) return Conflict($"Host '{hostname}' is not approved.");
        if (!registry.IsConnected(host.Id)) return Conflict($"Agent '{hostname}' is offline; the command was not sent.");

        var spec = Spec(body.Command, [host.Id], timeout, InvocationOrigin.FleetCommand, concurrency: null);
        var (_, results) = await runner.RunAsync(spec, request.HttpContext.ActorName(), TimeSpan.FromSeconds(timeout + 5), ct);
        var result = results[0];
        return Ok(new HostCommandResponse(result.TargetRunId, CommandStatusWord(result.Status), result.Stdout, result.Stderr, result.ExitCode, result.ExecutionSeconds));
    }

    public static async Task<IResult> Broadcast(HttpRequest request, IOptions<LimitOptions> limits, CommandRunner runner, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadBodyAsync<BroadcastRequest>(request, ApiJson.SnakeCase);
        if (body is null) return Invalid(["body"], error!);
        if (string.IsNullOrWhiteSpace(body.Command)) return Invalid(["body", "command"], "command is required.");
        if (FieldLimits.Script(body.Command, limits.Value.MaxScriptBytes) is { } tooLarge) return Invalid(["body", "command"], $"command {tooLarge}.");
        if (body.Hostnames is not { Count: > 0 }) return Invalid(["body", "hostnames"], "hostnames must be a non-empty list.");
        if (body.Hostnames.Count > InvocationService.MaxTargets) return Invalid(["body", "hostnames"], $"At most {InvocationService.MaxTargets} hostnames per broadcast.");
        var timeout = body.Timeout ?? 30;
        if (timeout is < 1 or > MaxTimeoutSeconds) return Invalid(["body", "timeout"], $"timeout must be between 1 and {MaxTimeoutSeconds} seconds.");

        var wanted = body.Hostnames.Where(h => !string.IsNullOrWhiteSpace(h)).Distinct().ToList();
        var known = new Dictionary<string, Guid>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var chunk in wanted.Chunk(500))
                foreach (var h in await db.Hosts.AsNoTracking().Where(h => chunk.Contains(h.Hostname) && h.Approval == HostApproval.Approved)
                             .OrderByDescending(h => h.LastSeen).Select(h => new { h.Hostname, h.Id }).ToListAsync(ct))
                    known.TryAdd(h.Hostname, h.Id);
        }
        var results = new List<BroadcastResult>();
        var batchId = Guid.Empty;
        if (known.Count > 0)
        {
            var spec = Spec(body.Command, wanted.Where(known.ContainsKey).Select(h => known[h]).ToList(), timeout, InvocationOrigin.Broadcast,
                concurrency: body.Parallel == false ? 1 : null);
            // Without parallelism hosts run one after another, so the wait grows with their number.
            var wait = TimeSpan.FromSeconds(body.Parallel == false ? timeout * known.Count + 5 : timeout + 5);
            var (invocationId, ran) = await runner.RunAsync(spec, request.HttpContext.ActorName(), wait, ct);
            batchId = await TaskIdAsync(dbFactory, invocationId, ct);
            results.AddRange(ran.Select(r => new BroadcastResult(r.Hostname, BroadcastStatusWord(r.Status), r.ExitCode, r.Stdout + r.Stderr, r.ExecutionSeconds)));
        }
        results.AddRange(wanted.Where(h => !known.ContainsKey(h)).Select(h => new BroadcastResult(h, "not_found", null, "", 0)));
        return Ok(new BroadcastResponse(batchId == Guid.Empty ? Guid.NewGuid() : batchId, wanted.Count, results));
    }

    public static Task<IResult> Reboot([FromRoute(Name = "host_id")] string hostId, HttpRequest request, InvocationService invocations,
        IDbContextFactory<FleetDbContext> dbFactory, AgentRegistry registry, TimeProvider clock, CancellationToken ct) =>
        Power(hostId, CommandKind.Reboot, "Reboot command sent successfully", request, invocations, dbFactory, registry, clock, ct);

    public static Task<IResult> Shutdown([FromRoute(Name = "host_id")] string hostId, HttpRequest request, InvocationService invocations,
        IDbContextFactory<FleetDbContext> dbFactory, AgentRegistry registry, TimeProvider clock, CancellationToken ct) =>
        Power(hostId, CommandKind.Shutdown, "Shutdown command sent successfully", request, invocations, dbFactory, registry, clock, ct);

    private static async Task<IResult> Power(string hostId, CommandKind kind, string message, HttpRequest request, InvocationService invocations,
        IDbContextFactory<FleetDbContext> dbFactory, AgentRegistry registry, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(hostId, out var id)) return InvalidHostId(hostId);
        var (parsed, error) = await ApiJson.ReadOptionalBodyAsync<PowerRequest>(request, ApiJson.SnakeCase);
        if (error is not null) return Invalid(["body"], error);
        var body = parsed ?? new PowerRequest(false, 0, null);
        var delay = body.DelaySeconds ?? 0;
        if (delay is < 0 or > 86_400) return Invalid(["body", "delay_seconds"], "delay_seconds must be between 0 and 86400.");
        if (body.Message is { Length: > 500 }) return Invalid(["body", "message"], "message may be at most 500 characters.");
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct);
            if (host is null) return NotFound("Host not found.");
            if (host.Approval != HostApproval.Approved) return Conflict($"Host '{host.Hostname}' is not approved.");
            if (await Engine.Orchestration.RebootOrchestrationService.IsOrchestratingAsync(db, id, ct))
                return Conflict($"An orchestrated reboot of host '{host.Hostname}' is under way; nothing was sent.");
        }
        if (!registry.IsConnected(id)) return Conflict("The host's agent is offline; nothing was sent.");
        var spec = Engine.Orchestration.PowerActions.Power(kind, id, delay, body.Message, body.Force ?? false);
        var now = clock.GetUtcNow();
        var invocationId = await invocations.CreateAsync(spec, request.HttpContext.ActorName(), null, ct);
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var runId = await read.TargetRuns.Where(r => r.InvocationId == invocationId).Select(r => r.Id).FirstAsync(ct);
        return Ok(new PowerResponse(message, ApiJson.Time(now.AddSeconds(delay)), runId));
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

    private static InvocationSpec Spec(string command, IReadOnlyList<Guid> hostIds, int timeout, InvocationOrigin origin, int? concurrency) => new()
    {
        JobCategory = "Commands",
        Description = command.Length > 120 ? command[..120] + "…" : command,
        Origin = origin,
        CommandKind = CommandKind.Script,
        Script = command,
        HostIds = hostIds,
        ConcurrencyLevel = concurrency,
        TimeToPickupSeconds = timeout,
        ExecutionTimeoutSeconds = timeout,
    };

    private static async Task<ManagedHost?> FindByHostnameAsync(IDbContextFactory<FleetDbContext> dbFactory, string hostname, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Hosts.AsNoTracking().Where(h => h.Hostname == hostname).OrderByDescending(h => h.Approval == HostApproval.Approved).ThenByDescending(h => h.LastSeen).FirstOrDefaultAsync(ct);
    }

    private static async Task<Guid> TaskIdAsync(IDbContextFactory<FleetDbContext> dbFactory, long invocationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Invocations.Where(i => i.Id == invocationId).Select(i => i.TaskId).FirstAsync(ct);
    }
}
