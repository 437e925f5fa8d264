using System.Globalization;
using System.Text;
using System.Text.Json;
using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Security;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using static Fleet.Web.Api.JobInvocations.ForemanResults;

namespace Fleet.Web.Api.JobInvocations;

/// <summary>The remote-execution job invocations family (seed 002), Foreman's API, over the shared engine.</summary>
public static class JobInvocationsApi
{
    private const int OutputPageSize = 2000;

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

    public static async Task<Results<JsonHttpResult<ForemanList<JobInvocationJson>>, JsonHttpResult<ForemanInvalid>>> List(
        HttpRequest request, IInvocationQueries invocations, CancellationToken ct)
    {
        var search = request.Query["search"].ToString();
        var perPageText = request.Query["per_page"].ToString();
        var all = perPageText == "all";
        if (!TryPositive(request.Query["page"].ToString(), 1, out var page)) return Invalid("page", "must be a positive integer");
        var perPageValid = TryPositive(perPageText, 20, out var perPage);
        if (!all && !perPageValid) return Invalid("per_page", "must be a positive integer or 'all'");
        var query = new InvocationSearchQuery(string.IsNullOrWhiteSpace(search) ? null : search, request.Query["order"].ToString(), all ? 1 : page,
            all ? null : Math.Min(perPage, 1000));
        try
        {
            var found = await invocations.SearchAsync(query, ct);
            return Ok(new ForemanList<JobInvocationJson>(found.Total, found.Subtotal, query.Page, query.PerPage ?? found.Subtotal, query.Search,
                new ForemanSort(found.SortBy, found.SortOrder), found.Items.Select(JobInvocationWire.Summary).ToList()));
        }
        catch (InvocationSearchException error)
        {
            return Invalid("search", error.Message);
        }
    }

    public static async Task<Results<JsonHttpResult<JobInvocationDetailJson>, JsonHttpResult<ForemanError>>> Show(
        string id, [FromQuery(Name = "host_status")] string? hostStatus, IInvocationQueries invocations, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        var record = await invocations.FindAsync(invocationId, ct);
        return record is null ? NotFound(id) : Ok(JobInvocationWire.Detail(record, hostStatus is "true" or "1"));
    }

    public static async Task<Results<JsonHttpResult<JobInvocationDetailJson>, JsonHttpResult<ForemanInvalid>>> Create(
        HttpRequest request, IInvocationService invocations, CancellationToken ct)
    {
        var (body, invalid) = await ReadWrappedAsync(request, "job_invocation", ct);
        if (invalid is not null) return invalid;
        var parsed = CreateJobInvocationRequest.Read(body);
        if (parsed.Errors.Count > 0) return Invalid(parsed.Errors);
        try
        {
            var id = await invocations.CreateAsync(parsed.Job, request.HttpContext.ActorName(), ct);
            return Ok(JobInvocationWire.Detail((await invocations.FindAsync(id, ct))!, false), StatusCodes.Status201Created);
        }
        catch (SearchSyntaxException error)
        {
            return Invalid("search_query", error.Message);
        }
        catch (DomainException error)
        {
            return Invalid(error, JobInvocationWire.Fields);
        }
    }

    public static async Task<Results<JsonHttpResult<HostOutputJson>, JsonHttpResult<ForemanError>, JsonHttpResult<ForemanInvalid>>> HostOutput(
        string id, [FromRoute(Name = "host_id")] string hostId, [FromQuery] string? since, IInvocationService invocations, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        if (!Guid.TryParse(hostId, out var host)) return ForemanResults.NotFound("host", hostId);
        double? sinceSeconds = null;
        if (!string.IsNullOrEmpty(since))
        {
            if (!double.TryParse(since, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedSince)) return Invalid("since", "must be a timestamp in seconds");
            sinceSeconds = parsedSince;
        }
        var snapshot = await invocations.FindSnapshotAsync(invocationId, ct);
        if (snapshot is null) return NotFound(id);
        if (snapshot.Invocation.State == InvocationState.Scheduled) return Ok(JobInvocationWire.Delayed(snapshot.Invocation, Array.Empty<OutputEntryJson>()));
        var output = await HostOutputAsync(invocations, invocationId, host, sinceSeconds, ct);
        return output is null ? NotFound(id) : Ok(output);
    }

    /// <summary>Every line joined, in Foreman's JSON (<c>complete</c>, <c>refresh</c>, <c>output</c>), or the delayed shape before the job starts.</summary>
    public static async Task<Results<JsonHttpResult<HostOutputJson>, JsonHttpResult<ForemanError>>> HostRawOutput(
        string id, [FromRoute(Name = "host_id")] string hostId, IInvocationService invocations, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        if (!Guid.TryParse(hostId, out var host)) return ForemanResults.NotFound("host", hostId);
        var snapshot = await invocations.FindSnapshotAsync(invocationId, ct);
        if (snapshot is null) return NotFound(id);
        if (snapshot.Invocation.State == InvocationState.Scheduled) return Ok(JobInvocationWire.Delayed(snapshot.Invocation, null));
        var text = new StringBuilder();
        var cursor = IInvocationOutput.FromTheStart;
        OutputPage page;
        do
        {
            page = await invocations.GetOutputAsync(invocationId, host, cursor, 10_000, ct);
            if (!page.HostTargeted) return ForemanResults.NotFound("host", hostId);
            foreach (var line in page.Lines) text.Append(line.Text);
            cursor = page.NextSequence;
        } while (page.More);
        return Ok(new HostOutputJson(page.Complete, !page.Complete, text.ToString()));
    }

    public static async Task<Results<JsonHttpResult<OutputsJson>, JsonHttpResult<ForemanError>, JsonHttpResult<ForemanInvalid>>> Outputs(
        string id, [FromQuery(Name = "search_query")] string? searchQuery, [FromQuery] string? since, [FromQuery] string? raw,
        IInvocationService invocations, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        var snapshot = await invocations.FindSnapshotAsync(invocationId, ct);
        if (snapshot is null) return NotFound(id);
        double? sinceSeconds = double.TryParse(since, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null;
        var joined = raw is "true" or "1";
        IReadOnlyList<Guid>? hostIds;
        try
        {
            hostIds = await invocations.TargetedHostsAsync(invocationId, searchQuery, ct);
        }
        catch (SearchSyntaxException error)
        {
            return Invalid("search_query", error.Message);
        }
        if (hostIds is null) return NotFound(id);
        var outputs = new List<HostOutputJson>();
        foreach (var hostId in hostIds)
        {
            var output = snapshot.Invocation.State == InvocationState.Scheduled
                ? JobInvocationWire.Delayed(snapshot.Invocation, Array.Empty<OutputEntryJson>())
                : await HostOutputAsync(invocations, invocationId, hostId, sinceSeconds, ct);
            if (output is null) continue;
            if (joined) output = output with { Output = string.Concat(((IEnumerable<OutputEntryJson>)output.Output!).Select(o => o.Output)) };
            outputs.Add(output with { HostId = hostId });
        }
        return Ok(new OutputsJson(outputs));
    }

    public static async Task<Results<JsonHttpResult<CancelledJson>, JsonHttpResult<ForemanError>>> Cancel(
        string id, HttpRequest request, IInvocationCommands invocations, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return NotFound(id);
        var force = (await FlagsAsync(request, "force")).Contains("force");
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
            return Error(refused.Message, StatusCodes.Status422UnprocessableEntity);
        }
        return Ok(new CancelledJson(true, invocationId));
    }

    public static async Task<Results<JsonHttpResult<JobInvocationDetailJson>, JsonHttpResult<ForemanStringError>>> Rerun(
        string id, HttpRequest request, IInvocationService invocations, CancellationToken ct)
    {
        if (!long.TryParse(id, out var invocationId)) return StringError($"Could not rerun job {id} because it does not exist", StatusCodes.Status404NotFound);
        var flags = await FlagsAsync(request, "failed_only", "succeeded_only");
        var failedOnly = flags.Contains("failed_only");
        var succeededOnly = flags.Contains("succeeded_only");
        if (failedOnly && succeededOnly) return StringError("failed_only and succeeded_only cannot both be set", StatusCodes.Status422UnprocessableEntity);
        try
        {
            var newId = await invocations.RerunAsync(invocationId, failedOnly ? RerunFilter.FailedOnly : succeededOnly ? RerunFilter.SucceededOnly : RerunFilter.All,
                request.HttpContext.ActorName(), ct);
            return Ok(JobInvocationWire.Detail((await invocations.FindAsync(newId, ct))!, false), StatusCodes.Status201Created);
        }
        catch (InvocationNotFoundException)
        {
            return StringError($"Could not rerun job {invocationId} because it does not exist", StatusCodes.Status404NotFound);
        }
        catch (JobTemplateNotFoundException)
        {
            return StringError($"Could not rerun job {invocationId} because its template could not be found", StatusCodes.Status404NotFound);
        }
        catch (DomainException error)
        {
            return StringError($"Could not rerun job {invocationId}: {error.Message}", StatusCodes.Status422UnprocessableEntity);
        }
    }

    /// <summary>
    /// Foreman's per-host output: one page of entries after <paramref name="since"/> (seconds), mapped onto the
    /// engine's sequence pager; null when the invocation has no run on that host.
    /// </summary>
    private static async Task<HostOutputJson?> HostOutputAsync(IInvocationOutput output, long invocationId, Guid hostId, double? since, CancellationToken ct)
    {
        var cursor = since is { } seconds
            ? await output.SequenceBeforeAsync(invocationId, hostId, JobInvocationWire.After(seconds), ct)
            : IInvocationOutput.FromTheStart;
        var page = await output.GetOutputAsync(invocationId, hostId, cursor, OutputPageSize, ct);
        if (!page.HostTargeted) return null;
        var complete = page.Complete && !page.More;
        return new HostOutputJson(complete, !complete, page.Lines.Select(JobInvocationWire.Entry).ToList());
    }

    /// <summary>A flag given in the query string, at the top of the body, or inside its <c>job_invocation</c> (Foreman accepts all three).</summary>
    private static async Task<HashSet<string>> FlagsAsync(HttpRequest request, params string[] names)
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

    private static JsonHttpResult<ForemanError> NotFound(string id) => ForemanResults.NotFound("job_invocation", id);
}
