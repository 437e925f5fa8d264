using Fleet.Domain.Execution;

namespace Fleet.Web.Engine;

/// <summary>
/// A job as the wizard (or an API façade) describes it. Either <see cref="TemplateId"/> (or a template's
/// <see cref="Feature"/>) with <see cref="Inputs"/>, or <see cref="AdHocCommand"/> (run through the built-in
/// "Run Command" template). Targets: <see cref="SearchQuery"/> (host search language), a saved
/// <see cref="BookmarkId"/>, or explicit <see cref="HostIds"/>.
/// </summary>
public sealed record NewJob
{
    public long? TemplateId { get; init; }
    /// <summary>A remote-execution feature label; the template that carries it runs when no <see cref="TemplateId"/> is given.</summary>
    public string? Feature { get; init; }
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

public enum RerunFilter
{
    All,
    FailedOnly,
    SucceededOnly,
}

/// <summary>
/// Creating, cancelling and re-running invocations. Bad input → <see cref="Fleet.Domain.DomainException"/>
/// (its <c>Field</c> names the <see cref="NewJob"/> property at fault, when one is) or
/// <see cref="SearchSyntaxException"/> for a host query; unknown ids → <see cref="InvocationNotFoundException"/>.
/// </summary>
public interface IInvocationCommands
{
    Task<long> CreateAsync(NewJob job, string owner, CancellationToken ct = default);
    Task CancelAsync(long invocationId, bool force, string by, CancellationToken ct = default);
    /// <summary>
    /// A new invocation like the given one. With a filter, it targets only the hosts that failed (or
    /// succeeded), and its search query names them (<c>name ^ (a,b)</c>), as Foreman's rerun does.
    /// </summary>
    Task<long> RerunAsync(long invocationId, RerunFilter filter, string owner, CancellationToken ct = default);
}

public sealed class InvocationNotFoundException(long id) : Exception($"Resource job_invocation not found by id '{id}'")
{
    public long InvocationId { get; } = id;
}
