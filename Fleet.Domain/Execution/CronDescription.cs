using System.Globalization;

namespace Fleet.Domain.Execution;

/// <summary>
/// A five-field cron line (minute hour day-of-month month day-of-week) in words, so an operator can check
/// "0 3 * * 1-5" means what they meant before saving it: "At 03:00, Monday to Friday". Only describes; the
/// schedule itself is computed elsewhere. Lines it cannot read plainly get a field-by-field description.
/// </summary>
public static class CronDescription
{
    private static readonly string[] Weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    /// <summary>The line in words, or null when it is not a five-field line (the caller shows the parser's error instead).</summary>
    public static string? Describe(string? cronLine)
    {
        if (string.IsNullOrWhiteSpace(cronLine)) return null;
        var line = Macros.GetValueOrDefault(cronLine.Trim(), cronLine.Trim());
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5) return null;
        var (minute, hour, dayOfMonth, month, dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        var time = Time(minute, hour);
        var days = Days(dayOfMonth, dayOfWeek);
        // "Every 15 minutes" already says "every day"; "At 03:00" does not.
        if (days == "every day" && (!time.StartsWith("at ", StringComparison.Ordinal) || time.StartsWith("at minute ", StringComparison.Ordinal))) days = null;
        var months = month == "*" ? null : "in " + Join(Expand(month, 1, 12, Months, 1));
        var text = string.Join(", ", new[] { time, days, months }.Where(part => part is not null));
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string Time(string minute, string hour)
    {
        if (minute == "*" && hour == "*") return "every minute";
        if (Step(minute) is { } everyMinutes && hour == "*") return $"every {everyMinutes} minutes";
        if (Numbers(minute) is [var onlyMinute] && hour == "*") return $"at minute {onlyMinute} of every hour";
        if (Numbers(minute) is [var atMinute] && Step(hour) is { } everyHours) return $"every {everyHours} hours at minute {atMinute}";
        if (Numbers(minute) is { } minutes && Numbers(hour) is { } hours && minutes.Count * hours.Count <= 6)
            return "at " + Join(hours.SelectMany(h => minutes.Select(m => $"{h:00}:{m:00}")).ToList());
        if (minute == "*" && Numbers(hour) is [var duringHour]) return $"every minute from {duringHour:00}:00 to {duringHour:00}:59";
        return $"at minute {minute} of hour {hour}";
    }

    private static string? Days(string dayOfMonth, string dayOfWeek)
    {
        var monthDays = dayOfMonth switch
        {
            "*" or "?" => null,
            _ when Step(dayOfMonth) is { } every => $"every {every} days",
            _ => (Numbers(dayOfMonth) is [_] ? "on day " : "on days ") + Join(Expand(dayOfMonth, 1, 31, null, 0)) + " of the month",
        };
        var weekDays = dayOfWeek is "*" or "?" ? null : WeekdayText(dayOfWeek);
        return (monthDays, weekDays) switch
        {
            (null, null) => "every day",
            (null, { } week) => week,
            ({ } month, null) => month,
            // Cron's own rule: when both are restricted, either one matching is enough.
            ({ } month, { } week) => $"{month} and {week}",
        };
    }

    private static string WeekdayText(string field)
    {
        // "1-5" reads best as a range; anything else as the list of days.
        var parts = field.Split('-');
        if (parts.Length == 2 && Day(parts[0]) is { } from && Day(parts[1]) is { } to && from < to) return $"{Weekdays[from]} to {Weekdays[to]}";
        return "on " + Join(Expand(field, 0, 7, Weekdays, 0).Distinct().ToList());
    }

    private static int? Day(string value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 7) return number % 7;
        var index = Array.FindIndex(Weekdays, d => d.StartsWith(value, StringComparison.OrdinalIgnoreCase) && value.Length >= 3);
        return index >= 0 ? index : null;
    }

    /// <summary>A field's values in words: numbers, names (for months and weekdays), ranges and lists.</summary>
    private static List<string> Expand(string field, int min, int max, string[]? names, int firstNameValue)
    {
        var result = new List<string>();
        foreach (var part in field.Split(','))
        {
            var range = part.Split('-');
            if (range.Length == 2 && Value(range[0], names, firstNameValue) is { } from && Value(range[1], names, firstNameValue) is { } to)
                result.Add($"{Name(from, names, firstNameValue, max)} to {Name(to, names, firstNameValue, max)}");
            else if (Value(part, names, firstNameValue) is { } single && single >= min && single <= max)
                result.Add(Name(single, names, firstNameValue, max));
            else
                result.Add(part);
        }
        return result;
    }

    private static int? Value(string text, string[]? names, int firstNameValue)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
        if (names is null || text.Length < 3) return null;
        var index = Array.FindIndex(names, n => n.StartsWith(text, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index + firstNameValue : null;
    }

    private static string Name(int value, string[]? names, int firstNameValue, int max) =>
        names is null ? value.ToString(CultureInfo.InvariantCulture)
        : names[(value - firstNameValue + names.Length) % names.Length] is var name && value <= max ? name : value.ToString(CultureInfo.InvariantCulture);

    private static List<int>? Numbers(string field)
    {
        var values = new List<int>();
        foreach (var part in field.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
            values.Add(value);
        }
        return values;
    }

    private static int? Step(string field) =>
        field.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(field[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step > 1
            ? step
            : null;

    private static string Join(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
