using Fleet.Domain.Execution;
using Fleet.Web.Engine;

namespace Fleet.Web.Components.Jobs;

public enum WhenMode
{
    Now,
    Later,
    Recurring,
}

/// <summary>
/// What the job wizard has collected so far. Each step edits it and asks <see cref="Problems"/> whether
/// it may move on; the review step turns it into a <see cref="NewJob"/> for the engine.
/// </summary>
public sealed class JobDraft
{
    public const int WhatStep = 0, InputsStep = 1, TargetsStep = 2, WhenStep = 3, AdvancedStep = 4, ReviewStep = 5;

    public JobTemplateView? Template { get; set; }
    public bool AdHoc { get; set; }

    /// <summary>Only a template with inputs has an Inputs step: an ad-hoc command never shows an empty one.</summary>
    public bool NeedsInputs => !AdHoc && Template is { Inputs.Count: > 0 };

    /// <summary>The steps the wizard shows, in order, as <see cref="WhatStep"/>… numbers.</summary>
    public IReadOnlyList<int> VisibleSteps => NeedsInputs
        ? [WhatStep, InputsStep, TargetsStep, WhenStep, AdvancedStep, ReviewStep]
        : [WhatStep, TargetsStep, WhenStep, AdvancedStep, ReviewStep];
    public string AdHocCommand { get; set; } = "";
    public Dictionary<string, string> Inputs { get; } = [];

    public bool PickHosts { get; set; }
    public string SearchQuery { get; set; } = "";
    public TargetingType Targeting { get; set; } = TargetingType.StaticQuery;
    public HashSet<Guid> HostIds { get; } = [];
    /// <summary>Matching hosts as the targets step last counted them; null while unknown or invalid.</summary>
    public int? TargetCount { get; set; }
    public string? TargetError { get; set; }

    public WhenMode When { get; set; } = WhenMode.Now;
    public DateTime? StartDate { get; set; }
    public TimeSpan? StartTime { get; set; }
    public DateTime? StartBeforeDate { get; set; }
    public TimeSpan? StartBeforeTime { get; set; }
    public string CronLine { get; set; } = "";
    public string TimeZoneId { get; set; } = TimeZoneInfo.Local.Id;
    public int? MaxIteration { get; set; }
    public string? CronError { get; set; }

    public int? ConcurrencyLevel { get; set; }
    public int? TimeToPickupSeconds { get; set; }
    public int? ExecutionTimeoutSeconds { get; set; }
    public bool RandomizedOrdering { get; set; }
    public string? EffectiveUser { get; set; }
    public string? Description { get; set; }
    /// <summary>Wave plan such as <c>1, 10%, rest</c>; empty runs every host in one wave.</summary>
    public string Waves { get; set; } = "";
    public int? WavePauseSeconds { get; set; }
    public string FailureThreshold { get; set; } = "";
    public int? TargetRunTimeoutHours { get; set; }

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>What stops the wizard from leaving <paramref name="step"/>; empty when it may move on.</summary>
    public IReadOnlyList<string> Problems(int step, DateTimeOffset now)
    {
        var problems = new List<string>();
        switch (step)
        {
            case WhatStep:
                if (AdHoc && string.IsNullOrWhiteSpace(AdHocCommand)) problems.Add("Type the command to run.");
                if (!AdHoc && Template is null) problems.Add("Choose a job template, or run an ad-hoc command.");
                break;
            case InputsStep when !AdHoc && Template is not null:
                foreach (var input in Template.Inputs)
                {
                    var value = Inputs.GetValueOrDefault(input.Name);
                    if (input.Required && string.IsNullOrWhiteSpace(value)) problems.Add($"{input.Name} is required.");
                    else if (input.Options.Count > 0 && !string.IsNullOrEmpty(value) && !input.Options.Contains(value))
                        problems.Add($"{input.Name} must be one of {string.Join(", ", input.Options)}.");
                }
                break;
            case TargetsStep:
                if (PickHosts && HostIds.Count == 0) problems.Add("Pick at least one host.");
                if (!PickHosts && string.IsNullOrWhiteSpace(SearchQuery)) problems.Add("Type a search query for the target hosts.");
                if (!PickHosts && TargetError is not null) problems.Add(TargetError);
                if (!PickHosts && TargetCount == 0 && Targeting == TargetingType.StaticQuery) problems.Add("No host matches this query.");
                break;
            case WhenStep:
                if (When == WhenMode.Later)
                {
                    if (StartAt is not { } at) problems.Add("Choose the date and time to start.");
                    else if (at <= now) problems.Add("The start time is in the past.");
                    if (StartBefore is { } before && StartAt is { } start && before <= start) problems.Add("'Cancel if not started before' must be after the start time.");
                }
                if (When == WhenMode.Recurring)
                {
                    if (string.IsNullOrWhiteSpace(CronLine)) problems.Add("Type a cron line, e.g. '0 3 * * *' for 03:00 every day.");
                    else if (CronError is not null) problems.Add(CronError);
                    if (MaxIteration is <= 0) problems.Add("Max iterations must be positive.");
                }
                break;
            case AdvancedStep:
                if (ConcurrencyLevel is <= 0) problems.Add("Concurrency level must be positive.");
                if (TimeToPickupSeconds is <= 0) problems.Add("Time to pickup must be positive.");
                if (ExecutionTimeoutSeconds is <= 0) problems.Add("Execution timeout must be positive.");
                if (WavePauseSeconds is < 0) problems.Add("The pause between waves cannot be negative.");
                if (TargetRunTimeoutHours is <= 0) problems.Add("The target-run timeout must be positive.");
                problems.AddRange(ProblemOf(() => WavePlan.Parse(Waves)));
                problems.AddRange(ProblemOf(() => Fleet.Domain.Execution.FailureThreshold.Parse(FailureThreshold)));
                break;
        }
        return problems;
    }

    private static IEnumerable<string> ProblemOf(Action parse)
    {
        try
        {
            parse();
            return [];
        }
        catch (Fleet.Domain.DomainException invalid)
        {
            return [invalid.Message];
        }
    }

    /// <summary>How many hosts each wave gets, when the target count is known and the plan is valid; null otherwise.</summary>
    public IReadOnlyList<int>? WaveSizes
    {
        get
        {
            var targets = PickHosts ? HostIds.Count : TargetCount;
            if (targets is not { } count || ProblemOf(() => WavePlan.Parse(Waves)).Any()) return null;
            return WavePlan.Parse(Waves).Split(count);
        }
    }

    public DateTimeOffset? StartAt => At(StartDate, StartTime);

    public DateTimeOffset? StartBefore => At(StartBeforeDate, StartBeforeTime);

    /// <summary>A date and time picked in the chosen zone, as an instant.</summary>
    private DateTimeOffset? At(DateTime? date, TimeSpan? time)
    {
        if (date is not { } d || time is not { } t) return null;
        var local = DateTime.SpecifyKind(d.Date + t, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>The value shown for an input in the review: sensitive ones never echo.</summary>
    public string Shown(TemplateInputView input) =>
        input.Sensitive ? (string.IsNullOrEmpty(Inputs.GetValueOrDefault(input.Name)) ? "" : "••••") : Inputs.GetValueOrDefault(input.Name, "");

    public NewJob ToNewJob() => new()
    {
        TemplateId = AdHoc ? null : Template?.Id,
        AdHocCommand = AdHoc ? AdHocCommand : null,
        Inputs = AdHoc ? new Dictionary<string, string>() : new Dictionary<string, string>(Inputs),
        SearchQuery = PickHosts ? null : SearchQuery,
        HostIds = PickHosts ? HostIds.ToList() : null,
        Targeting = PickHosts ? TargetingType.StaticQuery : Targeting,
        RandomizedOrdering = RandomizedOrdering,
        StartAt = When == WhenMode.Later ? StartAt : null,
        StartBefore = When == WhenMode.Later ? StartBefore : null,
        CronLine = When == WhenMode.Recurring ? CronLine.Trim() : null,
        TimeZone = When == WhenMode.Recurring ? TimeZoneId : null,
        MaxIteration = When == WhenMode.Recurring ? MaxIteration : null,
        ConcurrencyLevel = ConcurrencyLevel,
        TimeToPickupSeconds = TimeToPickupSeconds,
        ExecutionTimeoutSeconds = ExecutionTimeoutSeconds,
        EffectiveUser = string.IsNullOrWhiteSpace(EffectiveUser) ? null : EffectiveUser.Trim(),
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        Waves = string.IsNullOrWhiteSpace(Waves) ? null : Waves.Trim(),
        WavePauseSeconds = WavePauseSeconds,
        FailureThreshold = string.IsNullOrWhiteSpace(FailureThreshold) ? null : FailureThreshold.Trim(),
        TargetRunTimeoutSeconds = TargetRunTimeoutHours * 3600,
    };

    public void ChooseTemplate(JobTemplateView? template)
    {
        Template = template;
        Inputs.Clear();
        if (template is null) return;
        foreach (var input in template.Inputs) Inputs[input.Name] = input.Default ?? "";
        ExecutionTimeoutSeconds ??= template.DefaultTimeoutSeconds;
    }
}
