using System.Globalization;
using Fleet.Domain.Execution;

namespace Fleet.Web.Api.JobInvocations;

/// <summary>Foreman's job-invocation JSON (seed 002), built from the engine's records. Keys are written exactly as the seed shows them.</summary>
public static class JobInvocationWire
{
    /// <summary>Foreman prints times as "2025-05-15 16:05:00 UTC".</summary>
    public static string? Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : null;

    public static string TaskState(InvocationState state) => state switch
    {
        InvocationState.Scheduled => "scheduled",
        InvocationState.Running => "running",
        _ => "stopped",
    };

    public static Dictionary<string, object?> Summary(Invocation i, RunCounts counts, bool hasRuns)
    {
        var (code, label) = InvocationStatus.Of(i.State, counts);
        object total = hasRuns || i.TargetingType == TargetingType.StaticQuery ? counts.Total : "N/A";
        return new Dictionary<string, object?>
        {
            ["id"] = i.Id,
            ["description"] = i.Description,
            ["job_category"] = i.JobCategory,
            ["targeting_id"] = i.Id,
            ["status"] = code,
            ["start_at"] = Time(i.StartAt),
            ["status_label"] = label,
            ["ssh_user"] = null,
            ["time_to_pickup"] = i.TimeToPickupSeconds,
            ["concurrency_level"] = i.ConcurrencyLevel,
            ["execution_timeout_interval"] = i.ExecutionTimeoutSeconds,
            ["dynflow_task"] = new Dictionary<string, object?> { ["id"] = i.TaskId, ["state"] = TaskState(i.State) },
            ["template_id"] = i.TemplateId,
            ["template_name"] = i.TemplateName,
            ["effective_user"] = i.EffectiveUser ?? "root",
            ["succeeded"] = counts.Succeeded,
            ["failed"] = counts.Failed,
            ["pending"] = counts.Pending + counts.Running,
            ["cancelled"] = counts.Cancelled,
            ["total"] = total,
            ["missing"] = 0,
            ["total_hosts"] = total,
        };
    }

    public sealed record TargetHost(Guid Id, string Name, TargetRunStatus Status);

    public static Dictionary<string, object?> Detail(Invocation i, RunCounts counts, IReadOnlyList<TargetHost> hosts, RecurringLogic? logic, bool hostStatus)
    {
        var body = Summary(i, counts, hosts.Count > 0);
        body["targeting"] = new Dictionary<string, object?>
        {
            ["bookmark_id"] = i.BookmarkId,
            ["bookmark_name"] = null,
            ["search_query"] = i.SearchQuery,
            ["targeting_type"] = i.TargetingType == TargetingType.StaticQuery ? "static_query" : "dynamic_query",
            ["user_id"] = null,
            ["randomized_ordering"] = i.RandomizedOrdering,
            ["hosts"] = hosts.Select(h => HostEntry(h, hostStatus)).ToList(),
        };
        body["task"] = new Dictionary<string, object?> { ["id"] = i.TaskId, ["state"] = TaskState(i.State), ["started_at"] = Time(i.StartedAt) };
        body["mode"] = logic is not null ? "recurring" : i.StartAt is not null && i.StartAt > i.CreatedAt ? "future" : "immediate";
        if (logic is not null) body["recurrence"] = Recurrence(logic);
        body["pattern_template_invocations"] = null;
        body["job_organization"] = null;
        body["job_location"] = null;
        return body;
    }

    private static Dictionary<string, object?> HostEntry(TargetHost host, bool withStatus)
    {
        var entry = new Dictionary<string, object?> { ["id"] = host.Id, ["name"] = host.Name };
        if (withStatus)
        {
            var (_, label) = InvocationStatus.Of(InvocationState.Running, RunCounts.From([host.Status]));
            entry["job_status"] = host.Status switch
            {
                TargetRunStatus.Success => "success",
                TargetRunStatus.Failure or TargetRunStatus.Timeout or TargetRunStatus.Invalid => "error",
                TargetRunStatus.Cancelled => "cancelled",
                TargetRunStatus.Pending or TargetRunStatus.Queued or TargetRunStatus.Processing => "queued",
                _ => "running",
            };
            entry["job_status_label"] = label;
        }
        return entry;
    }

    public static Dictionary<string, object?> Recurrence(RecurringLogic logic) => new()
    {
        ["id"] = logic.Id,
        ["cron_line"] = logic.CronLine,
        ["end_time"] = Time(logic.EndTime),
        ["iteration"] = Math.Max(1, logic.Iteration),
        ["task_group_id"] = logic.Id,
        ["state"] = logic.State switch { RecurringState.Active => "active", RecurringState.Finished => "finished", _ => "cancelled" },
        ["max_iteration"] = logic.MaxIteration,
        ["purpose"] = logic.Purpose,
        ["task_count"] = Math.Max(1, logic.Iteration),
        ["action"] = "Run hosts job:",
        ["last_occurence"] = Time(logic.LastOccurrence),
        ["next_occurence"] = Time(logic.NextOccurrence),
    };

    public static object NotFound(long id) => new { error = new { message = $"Resource job_invocation not found by id '{id}'" } };

    public static object Error(string message) => new { error = new { message } };

    /// <summary>Foreman's validation error: 422 with the messages per field and in full.</summary>
    public static object Invalid(IReadOnlyDictionary<string, List<string>> errors) => new
    {
        error = new
        {
            id = (long?)null,
            errors,
            full_messages = errors.SelectMany(e => e.Value.Select(m => $"{e.Key} {m}")).ToList(),
        },
    };
}
