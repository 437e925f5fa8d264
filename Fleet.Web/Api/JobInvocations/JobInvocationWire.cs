using System.Globalization;
using System.Text.Json.Serialization;
using Fleet.Domain.Execution;
using Fleet.Web.Engine;

namespace Fleet.Web.Api.JobInvocations;

public sealed record DynflowTask(Guid Id, string State);

public sealed record TaskJson(Guid Id, string State, string? StartedAt);

/// <param name="Total">A count, or "N/A" while a dynamic query's targets are not known yet.</param>
/// <remarks>Not sealed: the detail adds to it.</remarks>
public record JobInvocationJson(
    long Id,
    string? Description,
    string JobCategory,
    long TargetingId,
    int Status,
    string? StartAt,
    string StatusLabel,
    string? SshUser,
    int? TimeToPickup,
    int? ConcurrencyLevel,
    int? ExecutionTimeoutInterval,
    DynflowTask DynflowTask,
    long? TemplateId,
    string TemplateName,
    string EffectiveUser,
    int Succeeded,
    int Failed,
    int Pending,
    int Cancelled,
    object Total,
    int Missing,
    object TotalHosts);

public sealed record TargetHostJson(
    Guid Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JobStatus = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JobStatusLabel = null);

public sealed record TargetingJson(long? BookmarkId, string? BookmarkName, string? SearchQuery, string TargetingType, long? UserId, bool RandomizedOrdering,
    IReadOnlyList<TargetHostJson> Hosts);

public sealed record RecurrenceJson(long Id, string CronLine, string? EndTime, int Iteration, long TaskGroupId, string State, int? MaxIteration, string? Purpose,
    int TaskCount, string Action, string? LastOccurence, string? NextOccurence);

/// <summary>The show/create/rerun answer: the list entry plus targeting, task, mode and recurrence.</summary>
public sealed record JobInvocationDetailJson : JobInvocationJson
{
    public JobInvocationDetailJson(JobInvocationJson summary) : base(summary) { }

    public required TargetingJson Targeting { get; init; }
    public required TaskJson Task { get; init; }
    public required string Mode { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RecurrenceJson? Recurrence { get; init; }
    public object? PatternTemplateInvocations { get; init; }
    public object? JobOrganization { get; init; }
    public object? JobLocation { get; init; }
}

public sealed record OutputEntryJson(string OutputType, string Output, double Timestamp);

/// <summary>
/// One host's output. <see cref="Output"/> is the entries, or their text joined (raw), or null/[] while delayed;
/// <see cref="Delayed"/>/<see cref="StartAt"/> only for a job not started yet; <see cref="HostId"/> only in <c>outputs</c>.
/// </summary>
public sealed record HostOutputJson(
    bool Complete,
    bool Refresh,
    object? Output,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Delayed = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StartAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? HostId = null);

public sealed record OutputsJson(IReadOnlyList<HostOutputJson> Outputs);

public sealed record CancelledJson(bool Cancelled, long Id);

/// <summary>Foreman's job-invocation JSON (seed 002), built from the engine's records. Foreman's status codes live here and only here.</summary>
public static class JobInvocationWire
{
    /// <summary>Foreman prints times as "2025-05-15 16:05:00 UTC".</summary>
    public static string? Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : null;

    /// <summary>A delayed job's start, as seed 002 shows it: "2025-05-15T15:26:31.428+00:00".</summary>
    public static string? DelayedTime(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>Foreman's integer status and its label: 0 succeeded, 1 failed, 2 queued, 3 running, 4 cancelled.</summary>
    public static (int Code, string Label) Status(InvocationOutcome outcome) => outcome switch
    {
        InvocationOutcome.Succeeded => (0, "succeeded"),
        InvocationOutcome.Failed => (1, "failed"),
        InvocationOutcome.Queued => (2, "queued"),
        InvocationOutcome.Running => (3, "running"),
        _ => (4, "cancelled"),
    };

    public static string TaskState(InvocationState state) => state switch
    {
        InvocationState.Scheduled => "scheduled",
        InvocationState.Running => "running",
        _ => "stopped",
    };

    public static JobInvocationJson Summary(InvocationSnapshot snapshot)
    {
        var (i, counts) = (snapshot.Invocation, snapshot.Counts);
        var (code, label) = Status(snapshot.Outcome);
        object total = snapshot.TargetsKnown ? counts.Total : "N/A";
        return new JobInvocationJson(i.Id, i.Description, i.JobCategory, i.Id, code, Time(i.StartAt), label, null, i.TimeToPickupSeconds,
            i.ConcurrencyLevel, i.ExecutionTimeoutSeconds, new DynflowTask(i.TaskId, TaskState(i.State)), i.TemplateId, i.TemplateName,
            i.EffectiveUser ?? "root", counts.Succeeded, counts.Failed, counts.Pending + counts.Running, counts.Cancelled, total, 0, total);
    }

    public static JobInvocationDetailJson Detail(InvocationRecord record, bool hostStatus)
    {
        var i = record.Snapshot.Invocation;
        return new JobInvocationDetailJson(Summary(record.Snapshot))
        {
            Targeting = new TargetingJson(i.BookmarkId, null, i.SearchQuery, i.TargetingType == TargetingType.StaticQuery ? "static_query" : "dynamic_query",
                null, i.RandomizedOrdering, record.Hosts.Select(h => HostEntry(h, hostStatus)).ToList()),
            Task = new TaskJson(i.TaskId, TaskState(i.State), Time(i.StartedAt)),
            Mode = record.Recurrence is not null ? "recurring" : i.StartAt is not null && i.StartAt > i.CreatedAt ? "future" : "immediate",
            Recurrence = record.Recurrence is { } logic ? Recurrence(logic) : null,
        };
    }

    private static TargetHostJson HostEntry(TargetHost host, bool withStatus)
    {
        if (!withStatus) return new TargetHostJson(host.Id, host.Name);
        var (_, label) = Status(InvocationStatus.Of(InvocationState.Running, RunCounts.From([host.Status])));
        var jobStatus = host.Status switch
        {
            TargetRunStatus.Success => "success",
            TargetRunStatus.Failure or TargetRunStatus.Timeout or TargetRunStatus.Invalid => "error",
            TargetRunStatus.Cancelled => "cancelled",
            TargetRunStatus.Pending or TargetRunStatus.Queued or TargetRunStatus.Processing => "queued",
            _ => "running",
        };
        return new TargetHostJson(host.Id, host.Name, jobStatus, label);
    }

    public static RecurrenceJson Recurrence(RecurringLogic logic) => new(logic.Id, logic.CronLine, Time(logic.EndTime), Math.Max(1, logic.Iteration), logic.Id,
        logic.State switch { RecurringState.Active => "active", RecurringState.Finished => "finished", _ => "cancelled" },
        logic.MaxIteration, logic.Purpose, Math.Max(1, logic.Iteration), "Run hosts job:", Time(logic.LastOccurrence), Time(logic.NextOccurrence));

    /// <summary>Entries with output_type, output and a timestamp in seconds on a 100 µs grid (the finest every store keeps).</summary>
    public static OutputEntryJson Entry(OutputLine line) => new(line.Stream, line.Text, Seconds(line.At));

    public static double Seconds(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).Ticks / 1000 / 10_000.0;

    /// <summary>
    /// The first instant after <paramref name="since"/> seconds: the next point on the 100 µs grid, so a double's
    /// rounding can neither repeat the last entry nor skip the next one.
    /// </summary>
    public static DateTimeOffset After(double since) => DateTimeOffset.UnixEpoch.AddTicks(((long)Math.Round(since * 10_000) + 1) * 1000);

    /// <summary>What a job that has not started answers instead of output.</summary>
    public static HostOutputJson Delayed(Invocation invocation, object? output) => new(false, true, output, true, DelayedTime(invocation.StartAt));

    /// <summary>Seed 002's names for the fields a domain rule can refuse.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        [nameof(NewJob.TemplateId)] = "job_template_id",
        [nameof(NewJob.Feature)] = "feature",
        [nameof(NewJob.BookmarkId)] = "bookmark_id",
        [nameof(NewJob.Inputs)] = "inputs",
        [nameof(NewJob.CronLine)] = "recurrence[cron_line]",
        [nameof(NewJob.MaxIteration)] = "recurrence[max_iteration]",
        [nameof(NewJob.EndTime)] = "recurrence[end_time]",
        [nameof(NewJob.StartBefore)] = "scheduling[start_before]",
        [nameof(NewJob.ConcurrencyLevel)] = "concurrency_control[concurrency_level]",
        [nameof(NewJob.WavePauseSeconds)] = "concurrency_control[wave_pause]",
        [nameof(NewJob.TimeToPickupSeconds)] = "time_to_pickup",
        [nameof(NewJob.ExecutionTimeoutSeconds)] = "execution_timeout_interval",
        [nameof(NewJob.TargetRunTimeoutSeconds)] = "target_run_timeout_interval",
    };
}
