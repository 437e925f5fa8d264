using System.Text;
using System.Text.Json;
using Fleet.Domain;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Domain.Security;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

using static Fleet.Web.Api.JobInvocations.ForemanResults;

namespace Fleet.Web.Api.JobInvocations;

/// <summary>The remote-execution job invocations family (seed 002), Foreman's API, over the shared engine.</summary>
public static class JobInvocationsApi
{
    public static IEndpointRouteBuilder MapJobInvocationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/job_invocations").RequireAuthorization(Roles.Viewer).WithTags("Job invocations");
        api.MapGet("", List).WithName("ListJobInvocations").WithSummary("List job invocations");
        api.MapGet("/{id}", Show).WithName("ShowJobInvocation").WithSummary("Show a job invocation");
        api.MapGet("/{id}/hosts/{host_id}", HostOutput).WithName("JobInvocationHostOutput").WithSummary("Output of one host");
        api.MapGet("/{id}/hosts/{host_id}/raw", HostRawOutput).WithName("JobInvocationHostRawOutput").WithSummary("Raw output of one host");
        api.MapGet("/{id}/outputs", Outputs).WithName("JobInvocationOutputs").WithSummary("Outputs of several hosts");
        var operate = api.MapGroup("").RequireAuthorization(Roles.Operator);
        operate.MapPost("", Create).WithName("CreateJobInvocation").WithSummary("Create a job invocation");
        operate.MapPost("/{id}/cancel", Cancel).WithName("CancelJobInvocation").WithSummary("Cancel a job invocation");
        operate.MapPost("/{id}/rerun", Rerun).WithName("RerunJobInvocation").WithSummary("Rerun a job invocation");
        return app;
    }

    public static async Task<IResult> List(HttpRequest request, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        var search = request.Query["search"].ToString();
        var perPageText = request.Query["per_page"].ToString();
        var pageText = request.Query["page"].ToString();
        var all = perPageText == "all";
        if (!TryPositive(pageText, 1, out var page)) return Invalid("page", "must be a positive integer");
        if (!all && !TryPositive(perPageText, 20, out _)) return Invalid("per_page", "must be a positive integer or 'all'");
        var perPage = all ? int.MaxValue : Math.Min(TryPositive(perPageText, 20, out var n) ? n : 20, 1000);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            var filtered = InvocationSearch.Apply(db.Invocations.AsNoTracking(), db, string.IsNullOrWhiteSpace(search) ? null : search);
            var (ordered, by, order) = InvocationSearch.Order(filtered, request.Query["order"].ToString());
            var total = await db.Invocations.CountAsync(ct);
            var subtotal = await filtered.CountAsync(ct);
            var items = await ordered.Skip(all ? 0 : (page - 1) * perPage).Take(perPage).ToListAsync(ct);
            var ids = items.Select(i => i.Id).ToList();
            var hasRuns = (await db.TargetRuns.Where(r => ids.Contains(r.InvocationId)).Select(r => r.InvocationId).Distinct().ToListAsync(ct)).ToHashSet();
            return Ok(new Dictionary<string, object?>
            {
                ["total"] = total,
                ["subtotal"] = subtotal,
                ["page"] = all ? 1 : page,
                ["per_page"] = all ? subtotal : perPage,
                ["search"] = string.IsNullOrWhiteSpace(search) ? null : search,
                ["sort"] = new Dictionary<string, object?> { ["by"] = by, ["order"] = order },
                ["results"] = items.Select(i => JobInvocationWire.Summary(i, i.Counts, hasRuns.Contains(i.Id))).ToList(),
            });
        }
        catch (InvocationSearchException error)
        {
            return Invalid("search", error.Message);
        }
    }

    public static async Task<IResult> Show(string id, [FromQuery(Name = "host_status")] string? hostStatus, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        var body = await DetailAsync(dbFactory, invocationId, hostStatus is "true" or "1", ct);
        return body is null ? NotFound(id) : Ok(body);
    }

    public static async Task<IResult> Create(HttpRequest request, InvocationService invocations, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        var (body, invalid) = await ReadWrappedAsync(request, "job_invocation", ct);
        if (invalid is not null) return invalid;
        var parsed = CreateJobInvocationRequest.Read(body);
        if (parsed.Errors.Count > 0) return Invalid(parsed.Errors);
        var job = parsed.Job;
        if (job.TemplateId is null && parsed.Feature is { } feature)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var templateId = await db.JobTemplates.Where(t => t.Feature == feature).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
            if (templateId is null) return Invalid("feature", $"'{feature}' is not a known remote execution feature");
            job = job with { TemplateId = templateId };
        }
        try
        {
            var id = await invocations.CreateAsync(job, request.HttpContext.ActorName(), ct);
            var detail = await DetailAsync(dbFactory, id, false, ct);
            return Ok(detail!, StatusCodes.Status201Created);
        }
        catch (SearchSyntaxException error)
        {
            return Invalid("search_query", error.Message);
        }
        catch (DomainException error)
        {
            return Invalid("base", error.Message);
        }
    }

    public static async Task<IResult> HostOutput(string id, [FromRoute(Name = "host_id")] string hostId, [FromQuery] string? since,
        IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        if (!Guid.TryParse(hostId, out var host)) return TypedResults.Json(new { error = new { message = $"Resource host not found by id '{hostId}'" } }, ForemanResults.Json, statusCode: 404);
        double? sinceSeconds = null;
        if (!string.IsNullOrEmpty(since))
        {
            if (!double.TryParse(since, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsedSince))
                return Invalid("since", "must be a timestamp in seconds");
            sinceSeconds = parsedSince;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var output = await HostOutputAsync(db, invocationId, host, sinceSeconds, ct);
        return output is null ? NotFound(id) : Ok(output);
    }

    public static async Task<IResult> HostRawOutput(string id, [FromRoute(Name = "host_id")] string hostId, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        if (!Guid.TryParse(hostId, out var host)) return TypedResults.Json(new { error = new { message = $"Resource host not found by id '{hostId}'" } }, ForemanResults.Json, statusCode: 404);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocation = await db.Invocations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invocationId, ct);
        if (invocation is null) return NotFound(id);
        if (invocation.State == InvocationState.Scheduled)
            return Ok(new Dictionary<string, object?> { ["complete"] = false, ["refresh"] = true, ["output"] = null, ["delayed"] = true, ["start_at"] = invocation.StartAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz") });
        var run = await db.TargetRuns.AsNoTracking().FirstOrDefaultAsync(r => r.InvocationId == invocationId && r.HostId == host, ct);
        if (run is null) return TypedResults.Json(new { error = new { message = $"Resource host not found by id '{hostId}'" } }, ForemanResults.Json, statusCode: 404);
        var text = new StringBuilder();
        if (run.CommandId is { } commandId)
            foreach (var chunk in await db.OutputChunks.AsNoTracking().Where(c => c.CommandId == commandId).OrderBy(c => c.Sequence).Select(c => c.Text).ToListAsync(ct))
                text.Append(chunk);
        return TypedResults.Text(text.ToString(), "text/plain; charset=utf-8");
    }

    public static async Task<IResult> Outputs(string id, [FromQuery(Name = "search_query")] string? searchQuery, [FromQuery] string? since, [FromQuery] string? raw,
        IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Invocations.AnyAsync(i => i.Id == invocationId, ct)) return NotFound(id);
        double? sinceSeconds = double.TryParse(since, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : null;
        List<Guid> hostIds;
        try
        {
            var targeted = db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).Select(r => r.HostId);
            hostIds = string.IsNullOrWhiteSpace(searchQuery)
                ? await targeted.ToListAsync(ct)
                : await TargetResolver.Query(db, searchQuery).Where(h => targeted.Contains(h.Id)).Select(h => h.Id).ToListAsync(ct);
        }
        catch (SearchSyntaxException error)
        {
            return Invalid("search_query", error.Message);
        }
        var outputs = new List<Dictionary<string, object?>>();
        foreach (var hostId in hostIds)
        {
            var output = await HostOutputAsync(db, invocationId, hostId, sinceSeconds, ct);
            if (output is null) continue;
            if (raw is "true" or "1") output["output"] = string.Concat(((IEnumerable<Dictionary<string, object?>>)output["output"]!).Select(o => (string)o["output"]!));
            output["host_id"] = hostId;
            outputs.Add(output);
        }
        return Ok(new Dictionary<string, object?> { ["outputs"] = outputs });
    }

    public static async Task<IResult> Cancel(string id, HttpRequest request, InvocationService invocations, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        var force = (await FlagsAsync(request, ct, "force")).Contains("force");
        try
        {
            await invocations.CancelAsync(invocationId, force, request.HttpContext.ActorName(), ct);
        }
        catch (InvocationNotFoundException)
        {
            return NotFound(id);
        }
        catch (DomainException refused)
        {
            return TypedResults.Json(JobInvocationWire.Error(refused.Message), ForemanResults.Json, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        return Ok(new Dictionary<string, object?> { ["cancelled"] = true, ["id"] = invocationId });
    }

    public static async Task<IResult> Rerun(string id, HttpRequest request, InvocationService invocations, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return TypedResults.Json(new { error = $"Could not rerun job {id} because it does not exist" }, ForemanResults.Json, statusCode: 404);
        var flags = await FlagsAsync(request, ct, "failed_only", "succeeded_only");
        var failedOnly = flags.Contains("failed_only");
        var succeededOnly = flags.Contains("succeeded_only");
        if (failedOnly && succeededOnly) return TypedResults.Json(new { error = "failed_only and succeeded_only cannot both be set" }, ForemanResults.Json, statusCode: 422);
        try
        {
            var newId = await invocations.RerunAsync(invocationId, failedOnly ? RerunFilter.FailedOnly : succeededOnly ? RerunFilter.SucceededOnly : RerunFilter.All,
                request.HttpContext.ActorName(), ct);
            return TypedResults.Json(await DetailAsync(dbFactory, newId, false, ct), ForemanResults.Json, statusCode: StatusCodes.Status201Created);
        }
        catch (InvocationNotFoundException)
        {
            return TypedResults.Json(new { error = $"Could not rerun job {invocationId} because it does not exist" }, ForemanResults.Json, statusCode: 404);
        }
        catch (DomainException error)
        {
            return TypedResults.Json(new { error = $"Could not rerun job {invocationId}: {error.Message}" }, ForemanResults.Json, statusCode: 422);
        }
    }

    private static async Task<Dictionary<string, object?>?> DetailAsync(IDbContextFactory<FleetDbContext> dbFactory, long invocationId, bool hostStatus, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocation = await db.Invocations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invocationId, ct);
        if (invocation is null) return null;
        var hosts = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).OrderBy(r => r.Position)
            .Select(r => new JobInvocationWire.TargetHost(r.HostId, r.DeviceName, r.Status)).ToListAsync(ct);
        var logic = invocation.RecurringLogicId is { } logicId ? await db.RecurringLogics.AsNoTracking().FirstOrDefaultAsync(l => l.Id == logicId, ct) : null;
        return JobInvocationWire.Detail(invocation, RunCounts.From(hosts.Select(h => h.Status)), hosts, logic, hostStatus);
    }

    /// <summary>Foreman's per-host output: entries with output_type, output and a timestamp in seconds; <c>since</c> returns only newer ones.</summary>
    private static async Task<Dictionary<string, object?>?> HostOutputAsync(FleetDbContext db, long invocationId, Guid hostId, double? since, CancellationToken ct)
    {
        var invocation = await db.Invocations.AsNoTracking().Where(i => i.Id == invocationId).Select(i => new { i.State, i.StartAt }).FirstOrDefaultAsync(ct);
        if (invocation is null) return null;
        if (invocation.State == InvocationState.Scheduled)
            return new Dictionary<string, object?> { ["complete"] = false, ["refresh"] = true, ["output"] = new List<object>(), ["delayed"] = true, ["start_at"] = invocation.StartAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz") };
        var run = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId && r.HostId == hostId).Select(r => new { r.CommandId, r.Status }).FirstOrDefaultAsync(ct);
        if (run is null) return null;
        const int pageSize = 2000;
        var lines = new List<Dictionary<string, object?>>();
        var more = false;
        if (run.CommandId is { } commandId)
        {
            var query = db.OutputChunks.AsNoTracking().Where(c => c.CommandId == commandId);
            if (since is { } s)
            {
                // Timestamps are sent on a 100 µs grid (the finest every store keeps); "after s" starts at the
                // next grid point, so a double's rounding can neither repeat the last entry nor skip the next one.
                var after = DateTimeOffset.UnixEpoch.AddTicks(((long)Math.Round(s * 10_000) + 1) * 1000);
                query = query.Where(c => c.At >= after);
            }
            var chunks = await query.OrderBy(c => c.Sequence).Take(pageSize + 1).Select(c => new { c.Stream, c.Text, c.At }).ToListAsync(ct);
            more = chunks.Count > pageSize;
            lines.AddRange(chunks.Take(pageSize).Select(c => new Dictionary<string, object?>
            {
                ["output_type"] = c.Stream == OutputStream.Stderr ? "stderr" : c.Stream == OutputStream.Debug ? "debug" : "stdout",
                ["output"] = c.Text,
                ["timestamp"] = (c.At - DateTimeOffset.UnixEpoch).Ticks / 1000 / 10_000.0,
            }));
        }
        var complete = run.Status.IsFinal();
        return new Dictionary<string, object?> { ["complete"] = complete && !more, ["refresh"] = !complete || more, ["output"] = lines };
    }

    /// <summary>A flag given in the query string, at the top of the body, or inside its <c>job_invocation</c> (Foreman accepts all three).</summary>
    private static async Task<HashSet<string>> FlagsAsync(HttpRequest request, CancellationToken ct, params string[] names)
    {
        var set = names.Where(n => request.Query[n].ToString() is "true" or "1").ToHashSet();
        var (body, _) = await ApiJson.ReadOptionalBodyAsync<JsonDocument>(request, ForemanResults.Json);
        using var document = body;
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root) return set;
        foreach (var scope in new[] { root, root.TryGetProperty("job_invocation", out var inner) ? inner : default })
            if (scope.ValueKind == JsonValueKind.Object)
                foreach (var name in names)
                    if (scope.TryGetProperty(name, out var flag) && (flag.ValueKind == JsonValueKind.True || (flag.ValueKind == JsonValueKind.String && flag.GetString() is "true" or "1")))
                        set.Add(name);
        return set;
    }

    private static bool TryPositive(string text, int fallback, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || (int.TryParse(text, out value) && value > 0);
    }

    private static IResult NotFound(string id) => ForemanResults.NotFound("job_invocation", id);
}
