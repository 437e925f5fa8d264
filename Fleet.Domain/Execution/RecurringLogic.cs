using Cronos;

namespace Fleet.Domain.Execution;

public enum RecurringState
{
    Active = 0,
    Finished = 1,
    Cancelled = 2,
}

/// <summary>
/// A recurring job (Foreman's recurring logic): each occurrence creates a new invocation from the
/// first one. Ends after <see cref="MaxIteration"/> occurrences or at <see cref="EndTime"/>.
/// </summary>
public sealed class RecurringLogic
{
    private RecurringLogic() { }

    public RecurringLogic(string cronLine, string? timeZone, int? maxIteration, DateTimeOffset? endTime, string? purpose, DateTimeOffset now)
    {
        Schedule.Parse(cronLine);
        Schedule.Zone(timeZone);
        if (maxIteration is <= 0) throw new DomainException("The maximum number of iterations must be a positive number.", nameof(MaxIteration));
        if (endTime is { } end && end <= now) throw new DomainException("The end time must be in the future.", nameof(EndTime));
        CronLine = cronLine.Trim();
        TimeZone = timeZone;
        MaxIteration = maxIteration;
        EndTime = endTime;
        Purpose = purpose;
        CreatedAt = now;
        NextOccurrence = Schedule.Next(CronLine, timeZone, now);
    }

    public long Id { get; private set; }
    public string CronLine { get; private set; } = "";
    public string? TimeZone { get; private set; }
    public int? MaxIteration { get; private set; }
    public DateTimeOffset? EndTime { get; private set; }
    public string? Purpose { get; private set; }
    public int Iteration { get; private set; }
    public RecurringState State { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastOccurrence { get; private set; }
    public DateTimeOffset? NextOccurrence { get; private set; }
    /// <summary>The invocation each occurrence copies.</summary>
    public long? FirstInvocationId { get; private set; }

    public bool IsActive => State == RecurringState.Active;

    public void AttachFirstInvocation(long invocationId) => FirstInvocationId ??= invocationId;

    /// <summary>
    /// True when an occurrence already happened in the cron slot <paramref name="now"/> falls in: a trigger delivered
    /// twice (a job handed to two workers, a start-up catch-up beside the regular fire) is not a new occurrence.
    /// </summary>
    public bool AlreadyOccurredFor(DateTimeOffset now) =>
        LastOccurrence is { } last && Schedule.Next(CronLine, TimeZone, last) is { } due && due > now;

    /// <summary>Counts an occurrence; false when the logic has ended and nothing should run.</summary>
    public bool Occur(DateTimeOffset now)
    {
        if (!IsActive) return false;
        if ((EndTime is { } end && now > end) || (MaxIteration is { } max && Iteration >= max))
        {
            State = RecurringState.Finished;
            NextOccurrence = null;
            return false;
        }
        Iteration++;
        LastOccurrence = now;
        NextOccurrence = Schedule.Next(CronLine, TimeZone, now);
        if ((MaxIteration is { } limit && Iteration >= limit) || (EndTime is { } stop && NextOccurrence > stop))
        {
            State = RecurringState.Finished;
            NextOccurrence = null;
        }
        return true;
    }

    public void Cancel()
    {
        if (State == RecurringState.Active) State = RecurringState.Cancelled;
        NextOccurrence = null;
    }
}

/// <summary>Cron arithmetic (5-field cron lines, as Foreman takes them) in a chosen time zone.</summary>
public static class Schedule
{
    public static CronExpression Parse(string? cronLine)
    {
        if (string.IsNullOrWhiteSpace(cronLine)) throw new DomainException("A cron line is required, e.g. '5 * * * *'.");
        try
        {
            return CronExpression.Parse(cronLine.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException error)
        {
            throw new DomainException($"'{cronLine}' is not a valid cron line (minute hour day-of-month month day-of-week): {error.Message}");
        }
    }

    public static TimeZoneInfo Zone(string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone)) return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception error) when (error is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new DomainException($"Unknown time zone '{timeZone}'.");
        }
    }

    public static DateTimeOffset? Next(string cronLine, string? timeZone, DateTimeOffset after) =>
        Parse(cronLine).GetNextOccurrence(after, Zone(timeZone));

    public static IReadOnlyList<DateTimeOffset> NextOccurrences(string cronLine, TimeZoneInfo zone, DateTimeOffset from, int count)
    {
        var expression = Parse(cronLine);
        var result = new List<DateTimeOffset>(count);
        var cursor = from;
        while (result.Count < count && expression.GetNextOccurrence(cursor, zone) is { } next)
        {
            result.Add(TimeZoneInfo.ConvertTime(next, zone));
            cursor = next;
        }
        return result;
    }
}
