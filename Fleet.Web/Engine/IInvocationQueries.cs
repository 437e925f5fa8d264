using Fleet.Domain.Execution;

namespace Fleet.Web.Engine;

public sealed record TargetPreview(int Count, IReadOnlyList<HostRow> Sample);

/// <param name="StatusLabel">succeeded | failed | queued | running | cancelled (<see cref="InvocationStatus.Label"/>).</param>
public sealed record InvocationRow(
    long Id,
    string Description,
    string JobCategory,
    string StatusLabel,
    int Succeeded,
    int Failed,
    int Pending,
    int Running,
    int Cancelled,
    int Total,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartAt,
    bool Recurring,
    string Owner,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null);

public sealed record TargetRunRow(
    Guid TargetRunId,
    Guid HostId,
    string Hostname,
    string Status,
    int? ExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Reason);

/// <param name="Script">The script as run, with sensitive input values masked.</param>
public sealed record InvocationDetail(
    InvocationRow Summary,
    string TemplateName,
    string Script,
    string TargetingType,
    string? SearchQuery,
    int? ConcurrencyLevel,
    int? TimeToPickupSeconds,
    int? ExecutionTimeoutSeconds,
    string? EffectiveUser,
    string? CronLine,
    DateTimeOffset? NextOccurrence,
    string State,
    string? CancelReason,
    IReadOnlyList<TargetRunRow> Targets,
    string? Waves = null,
    string? FailureThreshold = null,
    string? HaltReason = null);

/// <param name="Page">Zero-based.</param>
/// <param name="Status">null for all, else a status label.</param>
public sealed record InvocationListQuery(string? Search = null, string? Status = null, int Page = 0, int PageSize = 25);

/// <summary>
/// An invocation as an API façade maps it: the entity (detached; its state changes only through the engine),
/// its run counts, and whether its targets are known yet (a dynamic query is resolved only when it starts).
/// </summary>
public sealed record InvocationSnapshot(Invocation Invocation, RunCounts Counts, bool TargetsKnown)
{
    public InvocationOutcome Outcome => InvocationStatus.Of(Invocation.State, Counts);
}

public sealed record TargetHost(Guid Id, string Name, TargetRunStatus Status);

/// <summary>An invocation with its targets in run order and its recurring logic, if it recurs.</summary>
public sealed record InvocationRecord(InvocationSnapshot Snapshot, IReadOnlyList<TargetHost> Hosts, RecurringLogic? Recurrence);

/// <summary>Foreman's list: <see cref="Search"/> in <see cref="InvocationSearch"/>'s language, <see cref="Order"/> as "field [ASC|DESC]".</summary>
/// <param name="Page">One-based.</param>
/// <param name="PerPage">null returns every match.</param>
public sealed record InvocationSearchQuery(string? Search, string? Order, int Page, int? PerPage);

/// <param name="Total">Every invocation.</param>
/// <param name="Subtotal">Those the search matched.</param>
public sealed record InvocationSearchPage(int Total, int Subtotal, string? SortBy, string? SortOrder, IReadOnlyList<InvocationSnapshot> Items);

/// <summary>Reading invocations: the dashboard's rows and details, and the records API façades map.</summary>
public interface IInvocationQueries
{
    Task<TargetPreview> PreviewTargetsAsync(string? searchQuery, IReadOnlyList<Guid>? hostIds, int sampleSize, CancellationToken ct = default);
    Task<Paged<InvocationRow>> ListAsync(InvocationListQuery query, CancellationToken ct = default);
    Task<InvocationDetail?> GetAsync(long invocationId, CancellationToken ct = default);
    /// <exception cref="InvocationSearchException">The search or order cannot be understood.</exception>
    Task<InvocationSearchPage> SearchAsync(InvocationSearchQuery query, CancellationToken ct = default);
    Task<InvocationRecord?> FindAsync(long invocationId, CancellationToken ct = default);
    /// <summary>The invocation without its targets, for readers that poll (its counts as last recorded).</summary>
    Task<InvocationSnapshot?> FindSnapshotAsync(long invocationId, CancellationToken ct = default);
    /// <summary>The hosts the invocation runs on that also match <paramref name="searchQuery"/> (all of them when it is empty); null for an unknown invocation.</summary>
    /// <exception cref="SearchSyntaxException">The query cannot be parsed.</exception>
    Task<IReadOnlyList<Guid>?> TargetedHostsAsync(long invocationId, string? searchQuery, CancellationToken ct = default);
    /// <summary>The next <paramref name="count"/> times a cron line fires, in <paramref name="timeZone"/>.</summary>
    IReadOnlyList<DateTimeOffset> NextOccurrences(string cronLine, TimeZoneInfo timeZone, DateTimeOffset from, int count);
}

public sealed class SearchSyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

public sealed class InvocationSearchException(string message) : Exception(message);
