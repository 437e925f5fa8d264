using Fleet.Domain.Execution;

namespace Fleet.Domain.Operations;

public enum ScheduleType
{
    Immediate = 0,
    Once = 1,
    Recurring = 2,
}

/// <summary>When an operation runs: now, once at a time, or on a cron line read in an IANA time zone.</summary>
public sealed record OperationSchedule(ScheduleType Type, DateTimeOffset? ScheduledAt = null, string? Cron = null, string? TimeZone = null)
{
    public static readonly IReadOnlyDictionary<string, ScheduleType> WireNames = new Dictionary<string, ScheduleType>(StringComparer.Ordinal)
    {
        ["immediate"] = ScheduleType.Immediate,
        ["once"] = ScheduleType.Once,
        ["recurring"] = ScheduleType.Recurring,
    };

    public string WireType => WireNames.First(p => p.Value == Type).Key;

    /// <summary>Every problem with this schedule as of <paramref name="now"/>.</summary>
    public IReadOnlyList<OperationProblem> Problems(DateTimeOffset now)
    {
        var problems = new List<OperationProblem>();
        switch (Type)
        {
            case ScheduleType.Once when ScheduledAt is null:
                problems.Add(OperationProblem.At("A 'once' schedule needs scheduled_at (ISO 8601 with a zone, e.g. 2025-01-15T14:00:00Z).", "schedule", "scheduled_at"));
                break;
            case ScheduleType.Once when ScheduledAt < now:
                problems.Add(OperationProblem.At("scheduled_at is in the past.", "schedule", "scheduled_at"));
                break;
            case ScheduleType.Recurring:
                if (string.IsNullOrWhiteSpace(Cron)) problems.Add(OperationProblem.At("A 'recurring' schedule needs cron (minute hour day-of-month month day-of-week).", "schedule", "cron"));
                else if (Try(() => Execution.Schedule.Parse(Cron)) is { } cronProblem) problems.Add(OperationProblem.At(cronProblem, "schedule", "cron"));
                if (!IsIanaZone(TimeZone)) problems.Add(OperationProblem.At($"'{TimeZone}' is not an IANA time zone (e.g. Europe/Paris, America/New_York, UTC).", "schedule", "timezone"));
                else if (problems.Count == 0 && Next(now) is null) problems.Add(OperationProblem.At($"The cron line '{Cron}' never fires.", "schedule", "cron"));
                break;
        }
        return problems;
    }

    /// <summary>The zone the cron line is read in: UTC unless named.</summary>
    public string Zone => string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone;

    /// <summary>The next run strictly after <paramref name="after"/>: null for an immediate or past one-off, or a cron line that never fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => Type switch
    {
        ScheduleType.Once => ScheduledAt > after ? ScheduledAt : null,
        ScheduleType.Recurring => Execution.Schedule.Next(Cron!, Zone, after),
        _ => null,
    };

    /// <summary>Only IANA ids: a Windows id would make the same operation mean different instants on different servers.</summary>
    private static bool IsIanaZone(string? zone)
    {
        if (string.IsNullOrWhiteSpace(zone) || zone == "UTC") return true;
        if (zone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found)) return false;
        return found.HasIanaId || TimeZoneInfo.TryConvertIanaIdToWindowsId(zone, out _);
    }

    private static string? Try(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (DomainException error)
        {
            return error.Message;
        }
    }
}

/// <param name="MaxAttempts">Runs per device including the first (1 = no retry).</param>
public sealed record RetryPolicy(int MaxAttempts = 1, int RetryDelayMinutes = 5)
{
    public const int MostAttempts = 10;
    public const int LongestDelayMinutes = 1440;

    public IReadOnlyList<OperationProblem> Problems()
    {
        var problems = new List<OperationProblem>();
        if (MaxAttempts is < 1 or > MostAttempts) problems.Add(OperationProblem.At($"max_attempts must be between 1 and {MostAttempts}.", "retry_policy", "max_attempts"));
        if (RetryDelayMinutes is < 0 or > LongestDelayMinutes) problems.Add(OperationProblem.At($"retry_delay_minutes must be between 0 and {LongestDelayMinutes}.", "retry_policy", "retry_delay_minutes"));
        return problems;
    }

    /// <summary>Whether a device whose attempt number <paramref name="attempt"/> failed gets another.</summary>
    public bool Retries(int attempt) => attempt < MaxAttempts;
}

public sealed record NotificationSettings(bool OnCompletion = false, bool OnFailure = false, string? Email = null, string? WebhookUrl = null)
{
    public IReadOnlyList<OperationProblem> Problems()
    {
        var problems = new List<OperationProblem>();
        if (Email is not null && (Email.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(Email, out var address) || address.Address != Email))
            problems.Add(OperationProblem.At("email must be one e-mail address.", "notification", "email"));
        if (WebhookUrl is not null && (WebhookUrl.Length > 2048 || !Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            problems.Add(OperationProblem.At("webhook_url must be an absolute http or https URL.", "notification", "webhook_url"));
        if ((OnCompletion || OnFailure) && Email is null && WebhookUrl is null)
            problems.Add(OperationProblem.At("on_completion and on_failure need an email or a webhook_url to notify.", "notification"));
        return problems;
    }

    /// <summary>on_completion: every ended occurrence is told; on_failure: those where a device failed.</summary>
    public bool Wants(bool failed) => (Email is not null || WebhookUrl is not null) && (OnCompletion || (OnFailure && failed));
}
