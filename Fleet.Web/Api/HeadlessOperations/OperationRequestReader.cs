using System.Globalization;
using System.Text.Json;
using Fleet.Domain.Operations;
using Fleet.Web.Engine.Operations;

namespace Fleet.Web.Api.HeadlessOperations;

/// <summary>
/// Reads seed 000's POST body into an <see cref="OperationRequest"/>. A body that is not JSON, or lacks a required field,
/// is a 400 (<see cref="Missing"/>); a value of the wrong JSON type is a problem the engine reports with its own as a 422.
/// </summary>
public sealed class OperationRequestReader
{
    private static readonly string[] TopLevel = ["operation_type", "device_targets", "schedule", "parameters", "notification", "retry_policy"];

    private readonly List<OperationProblem> _problems = [];

    public List<OperationProblem> Missing { get; } = [];

    public static (OperationRequest? Request, IReadOnlyList<OperationProblem> Missing) Read(JsonElement body)
    {
        var reader = new OperationRequestReader();
        if (body.ValueKind != JsonValueKind.Object)
        {
            reader.Missing.Add(OperationProblem.At("The request body must be a JSON object."));
            return (null, reader.Missing);
        }
        var request = reader.ReadObject(body);
        return reader.Missing.Count > 0 ? (null, reader.Missing) : (request, []);
    }

    private OperationRequest ReadObject(JsonElement body)
    {
        foreach (var property in body.EnumerateObject().Where(p => !TopLevel.Contains(p.Name)))
            _problems.Add(OperationProblem.At($"'{Clip(property.Name)}' is not a field of an operation; it takes {string.Join(", ", TopLevel)}.", Clip(property.Name)));
        var type = Required(body, "operation_type") is { } typeValue ? Text(typeValue, "operation_type") ?? "" : "";
        var targets = Required(body, "device_targets") is { } targetsValue ? Names(targetsValue) : [];
        var schedule = Optional(body, "schedule") is { } scheduleValue ? Schedule(scheduleValue) : new OperationSchedule(ScheduleType.Immediate);
        IReadOnlyDictionary<string, object?>? parameters = null;
        if (Optional(body, "parameters") is { } parametersValue)
        {
            if (parametersValue.ValueKind == JsonValueKind.Object) parameters = PlainJson.Object(parametersValue);
            else _problems.Add(OperationProblem.At("parameters must be an object.", "parameters"));
        }
        var notification = Optional(body, "notification") is { } notificationValue ? Notification(notificationValue) : new NotificationSettings();
        var retry = Optional(body, "retry_policy") is { } retryValue ? Retry(retryValue) : new RetryPolicy();
        return new OperationRequest(type, targets, schedule, parameters, notification, retry, _problems);
    }

    private JsonElement? Required(JsonElement parent, string name, params object[] path)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null) return value;
        Missing.Add(new OperationProblem(["body", .. path, name], $"{name} is required."));
        return null;
    }

    private static JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private string? Text(JsonElement value, params object[] path)
    {
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        _problems.Add(OperationProblem.At($"{path[^1]} must be a string.", path));
        return null;
    }

    private bool Flag(JsonElement parent, string name, params object[] path)
    {
        if (Optional(parent, name) is not { } value) return false;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        _problems.Add(OperationProblem.At($"{name} must be true or false.", [.. path, name]));
        return false;
    }

    private int? Whole(JsonElement parent, string name, params object[] path)
    {
        if (Optional(parent, name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        _problems.Add(OperationProblem.At($"{name} must be a whole number.", [.. path, name]));
        return null;
    }

    private List<string> Names(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            _problems.Add(OperationProblem.At("device_targets must be a list of hostnames.", "device_targets"));
            return [];
        }
        var names = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 and <= 255 } name) names.Add(name);
            else _problems.Add(OperationProblem.At("Each device target must be a hostname of 1 to 255 characters.", "device_targets", index));
            index++;
        }
        return names;
    }

    private OperationSchedule Schedule(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            _problems.Add(OperationProblem.At("schedule must be an object.", "schedule"));
            return new OperationSchedule(ScheduleType.Immediate);
        }
        var typeName = Required(value, "type", "schedule") is { } typeValue ? Text(typeValue, "schedule", "type") : null;
        var type = ScheduleType.Immediate;
        if (typeName is not null && !OperationSchedule.WireNames.TryGetValue(typeName, out type))
            _problems.Add(OperationProblem.At($"'{Clip(typeName)}' is not a schedule type; use immediate, once or recurring.", "schedule", "type"));
        DateTimeOffset? at = null;
        if (Optional(value, "scheduled_at") is { } atValue)
        {
            if (atValue.ValueKind == JsonValueKind.String && TryTime(atValue.GetString()!, out var parsed)) at = parsed;
            else _problems.Add(OperationProblem.At("scheduled_at must be an ISO 8601 time with a zone, e.g. 2025-01-15T14:00:00Z.", "schedule", "scheduled_at"));
        }
        var cron = Optional(value, "cron") is { } cronValue ? Text(cronValue, "schedule", "cron") : null;
        var zone = Optional(value, "timezone") is { } zoneValue ? Text(zoneValue, "schedule", "timezone") : null;
        return new OperationSchedule(type, at, cron, zone);
    }

    private NotificationSettings Notification(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            _problems.Add(OperationProblem.At("notification must be an object.", "notification"));
            return new NotificationSettings();
        }
        var email = Optional(value, "email") is { } emailValue ? Text(emailValue, "notification", "email") : null;
        var webhook = Optional(value, "webhook_url") is { } webhookValue ? Text(webhookValue, "notification", "webhook_url") : null;
        return new NotificationSettings(Flag(value, "on_completion", "notification"), Flag(value, "on_failure", "notification"), email, webhook);
    }

    private RetryPolicy Retry(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            _problems.Add(OperationProblem.At("retry_policy must be an object.", "retry_policy"));
            return new RetryPolicy();
        }
        var defaults = new RetryPolicy();
        return new RetryPolicy(Whole(value, "max_attempts", "retry_policy") ?? defaults.MaxAttempts, Whole(value, "retry_delay_minutes", "retry_policy") ?? defaults.RetryDelayMinutes);
    }

    /// <summary>ISO 8601 with an explicit zone: a time without one would mean different instants on different servers.</summary>
    private static bool TryTime(string text, out DateTimeOffset at)
    {
        at = default;
        var hasZone = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasZone && text.Contains('T') &&
               DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out at);
    }

    private static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
