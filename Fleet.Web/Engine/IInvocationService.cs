using Fleet.Domain.Execution;

namespace Fleet.Web.Engine;

public sealed record TemplateInputView(string Name, string? Description, bool Required, string? Default, IReadOnlyList<string> Options, bool Sensitive);

public sealed record JobTemplateView(
    long Id,
    string Name,
    string JobCategory,
    string? Description,
    string Script,
    IReadOnlyList<TemplateInputView> Inputs,
    string? EffectiveUser,
    int? DefaultTimeoutSeconds,
    string? DescriptionFormat,
    string? Feature);

/// <summary>
/// A job as the wizard (or an API façade) describes it. Either <see cref="TemplateId"/> with
/// <see cref="Inputs"/>, or <see cref="AdHocCommand"/> (run through the built-in "Run Command" template).
/// Targets: <see cref="SearchQuery"/> (host search language) or explicit <see cref="HostIds"/>.
/// </summary>
public sealed record NewJob
{
    public long? TemplateId { get; init; }
    public string? AdHocCommand { get; init; }
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();
    public string? SearchQuery { get; init; }
    public IReadOnlyList<Guid>? HostIds { get; init; }
    public TargetingType Targeting { get; init; } = TargetingType.StaticQuery;
    public bool RandomizedOrdering { get; init; }
    public DateTimeOffset? StartAt { get; init; }
    public DateTimeOffset? StartBefore { get; init; }
    public string? CronLine { get; init; }
    /// <summary>IANA or Windows time-zone id the cron line is read in; UTC when null.</summary>
    public string? TimeZone { get; init; }
    public int? MaxIteration { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public string? Purpose { get; init; }
    public int? ConcurrencyLevel { get; init; }
    public int? TimeToPickupSeconds { get; init; }
    public int? ExecutionTimeoutSeconds { get; init; }
    public string? EffectiveUser { get; init; }
    public string? Description { get; init; }
    /// <summary>Overrides the template's description format for this invocation only.</summary>
    public string? DescriptionFormat { get; init; }
    public long? BookmarkId { get; init; }
    /// <summary>Wave plan such as <c>1, 10%, rest</c>; null or empty runs all targets in one wave.</summary>
    public string? Waves { get; init; }
    public int? WavePauseSeconds { get; init; }
    /// <summary>A count (<c>3</c>) or percentage (<c>10%</c>) of failed target runs that halts the remaining waves.</summary>
    public string? FailureThreshold { get; init; }
    public int? TargetRunTimeoutSeconds { get; init; }
    /// <summary>Which façade asked; pages leave the default.</summary>
    public InvocationOrigin Origin { get; init; } = InvocationOrigin.JobInvocation;
}

public sealed record TargetPreview(int Count, IReadOnlyList<HostRow> Sample);

/// <param name="StatusLabel">succeeded | failed | queued | running | cancelled (Foreman's labels).</param>
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

public sealed record OutputLine(long Sequence, string Stream, string Text, DateTimeOffset At);

/// <param name="NextSequence">Pass back as <c>sinceSequence</c> to get only what came after.</param>
public sealed record OutputPage(IReadOnlyList<OutputLine> Lines, long NextSequence, bool Complete);

/// <summary>Hosts whose runs ended with the same exit code and identical output.</summary>
public sealed record OutputGroup(int? ExitCode, string Status, string OutputSample, int HostCount, IReadOnlyList<string> Hostnames);

public enum RerunFilter
{
    All,
    FailedOnly,
    SucceededOnly,
}

/// <param name="Page">Zero-based.</param>
/// <param name="Status">null for all, else a status label.</param>
public sealed record InvocationListQuery(string? Search = null, string? Status = null, int Page = 0, int PageSize = 25);

public sealed class SearchSyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>
/// The engine as pages see it. Bad input → DomainException (or SearchSyntaxException for a query)
/// with a message fit for the user; unknown ids → null / InvocationNotFoundException.
/// </summary>
public interface IInvocationService
{
    Task<IReadOnlyList<JobTemplateView>> ListTemplatesAsync(CancellationToken ct = default);
    Task<TargetPreview> PreviewTargetsAsync(string? searchQuery, IReadOnlyList<Guid>? hostIds, int sampleSize, CancellationToken ct = default);
    Task<long> CreateAsync(NewJob job, string owner, CancellationToken ct = default);
    Task<Paged<InvocationRow>> ListAsync(InvocationListQuery query, CancellationToken ct = default);
    Task<InvocationDetail?> GetAsync(long invocationId, CancellationToken ct = default);
    Task<OutputPage> GetOutputAsync(long invocationId, Guid hostId, long sinceSequence, int maxLines, CancellationToken ct = default);
    Task<IReadOnlyList<OutputGroup>> GroupByOutputAsync(long invocationId, CancellationToken ct = default);
    Task CancelAsync(long invocationId, bool force, string by, CancellationToken ct = default);
    Task<long> RerunAsync(long invocationId, RerunFilter filter, string owner, CancellationToken ct = default);
    /// <summary>The next <paramref name="count"/> times a cron line fires, in <paramref name="timeZone"/>.</summary>
    IReadOnlyList<DateTimeOffset> NextOccurrences(string cronLine, TimeZoneInfo timeZone, DateTimeOffset from, int count);
}

public sealed class InvocationNotFoundException(long id) : Exception($"Resource job_invocation not found by id '{id}'")
{
    public long InvocationId { get; } = id;
}
