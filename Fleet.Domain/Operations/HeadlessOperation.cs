namespace Fleet.Domain.Operations;

public enum OperationState
{
    /// <summary>Waiting for its (next) time.</summary>
    Scheduled = 0,
    /// <summary>A run is under way.</summary>
    Running = 1,
    /// <summary>No run will follow (immediate and one-off operations after their run, recurring ones whose cron never fires again).</summary>
    Finished = 2,
}

/// <summary>A device an operation targets, by the hostname it was given and the host it resolved to.</summary>
public sealed class OperationDevice
{
    private OperationDevice() { }

    public OperationDevice(long operationId, int position, Guid hostId, string deviceName)
    {
        OperationId = operationId;
        Position = position;
        HostId = hostId;
        DeviceName = deviceName;
    }

    public long OperationId { get; private set; }
    public int Position { get; private set; }
    public Guid HostId { get; private set; }
    public string DeviceName { get; private set; } = "";
}

/// <summary>One invocation an operation started: an occurrence of its schedule, or a retry of the devices that failed one.</summary>
public sealed class OperationRun
{
    private OperationRun() { }

    public OperationRun(long operationId, int occurrence, int attempt, long invocationId, DateTimeOffset startedAt)
    {
        if (attempt < 1) throw new DomainException("Attempts count from 1.");
        OperationId = operationId;
        Occurrence = occurrence;
        Attempt = attempt;
        InvocationId = invocationId;
        StartedAt = startedAt;
    }

    public long Id { get; private set; }
    public long OperationId { get; private set; }
    public int Occurrence { get; private set; }
    public int Attempt { get; private set; }
    public long InvocationId { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
}

/// <summary>
/// A headless operation (seed 000): what to do (a type and its validated parameters), on which devices, when,
/// with which retry policy and notifications. Each occurrence runs as an engine invocation; the operation only
/// remembers where its schedule stands.
/// </summary>
public sealed class HeadlessOperation
{
    public const string IdPrefix = "txn_";

    private HeadlessOperation() { }

    public HeadlessOperation(OperationType type, string parametersJson, OperationSchedule schedule, RetryPolicy retry, NotificationSettings notification,
        string owner, DateTimeOffset now, string? listUrl = null)
    {
        ListUrl = listUrl;
        Type = type;
        ParametersJson = parametersJson;
        ScheduleType = schedule.Type;
        ScheduledAt = schedule.ScheduledAt;
        Cron = schedule.Cron?.Trim();
        TimeZone = schedule.Type == ScheduleType.Recurring ? schedule.Zone : null;
        MaxAttempts = retry.MaxAttempts;
        RetryDelayMinutes = retry.RetryDelayMinutes;
        NotifyOnCompletion = notification.OnCompletion;
        NotifyOnFailure = notification.OnFailure;
        Email = notification.Email;
        WebhookUrl = notification.WebhookUrl;
        Owner = owner;
        CreatedAt = now;
        State = OperationState.Scheduled;
        NextExecution = schedule.Type == ScheduleType.Immediate ? now : schedule.Next(now);
    }

    public long Id { get; private set; }
    public OperationType Type { get; private set; }
    /// <summary>The parameters after validation, defaults filled in, as JSON.</summary>
    public string ParametersJson { get; private set; } = "{}";
    public ScheduleType ScheduleType { get; private set; }
    public DateTimeOffset? ScheduledAt { get; private set; }
    public string? Cron { get; private set; }
    public string? TimeZone { get; private set; }
    public int MaxAttempts { get; private set; } = 1;
    public int RetryDelayMinutes { get; private set; }
    public bool NotifyOnCompletion { get; private set; }
    public bool NotifyOnFailure { get; private set; }
    public string? Email { get; private set; }
    public string? WebhookUrl { get; private set; }
    public string Owner { get; private set; } = "";
    /// <summary>The list URL the operation was created at: the server has no public address of its own to tell notified people.</summary>
    public string? ListUrl { get; private set; }

    /// <summary>Where to follow this operation: its list URL with <c>?id=</c>.</summary>
    public string? MonitoringUrl => ListUrl is null ? null : ListUrl + "?id=" + PublicId;
    public DateTimeOffset CreatedAt { get; private set; }
    public OperationState State { get; private set; }
    /// <summary>When the schedule runs next; null once nothing follows.</summary>
    public DateTimeOffset? NextExecution { get; private set; }
    /// <summary>How many occurrences have started.</summary>
    public int Occurrences { get; private set; }
    public DateTimeOffset? LastStartedAt { get; private set; }

    public OperationSchedule Schedule => new(ScheduleType, ScheduledAt, Cron, TimeZone);

    public RetryPolicy RetryPolicy => new(MaxAttempts, RetryDelayMinutes);

    public NotificationSettings Notification => new(NotifyOnCompletion, NotifyOnFailure, Email, WebhookUrl);

    public string PublicId => IdPrefix + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParseId(string? publicId, out long id)
    {
        id = 0;
        return publicId is not null && publicId.StartsWith(IdPrefix, StringComparison.Ordinal) &&
               publicId.Length <= IdPrefix.Length + 18 && publicId[IdPrefix.Length..].All(char.IsAsciiDigit) &&
               long.TryParse(publicId.AsSpan(IdPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);
    }

    /// <summary>
    /// Starts the occurrence due at <paramref name="now"/> and returns its number, or null when none is due (a job
    /// fired twice, or late after the operation finished): the caller then starts nothing.
    /// </summary>
    public int? BeginOccurrence(DateTimeOffset now)
    {
        if (State == OperationState.Finished) return null;
        if (ScheduleType != ScheduleType.Recurring && Occurrences > 0) return null;
        // A recurring trigger that fires again for an occurrence already started (a retried Hangfire job) is not a new one.
        if (ScheduleType == ScheduleType.Recurring && LastStartedAt is { } last && Schedule.Next(last) is { } due && due > now) return null;
        Occurrences++;
        LastStartedAt = now;
        State = OperationState.Running;
        NextExecution = ScheduleType == ScheduleType.Recurring ? Schedule.Next(now) : null;
        return Occurrences;
    }

    /// <summary>The current occurrence's runs have all ended: wait for the next one, or finish.</summary>
    public void EndOccurrence()
    {
        if (State != OperationState.Running) return;
        State = NextExecution is null ? OperationState.Finished : OperationState.Scheduled;
    }
}
