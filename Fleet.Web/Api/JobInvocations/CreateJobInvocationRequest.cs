using System.Globalization;
using System.Text.Json;
using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Engine;

namespace Fleet.Web.Api.JobInvocations;

/// <summary>
/// Reads seed 002's <c>{"job_invocation": {...}}</c> body into a <see cref="NewJob"/>, collecting every
/// problem per field (Foreman answers them all at once with 422) instead of stopping at the first.
/// </summary>
public sealed class CreateJobInvocationRequest
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public IReadOnlyDictionary<string, List<string>> Errors => _errors;
    public NewJob Job { get; private set; } = new();

    public static CreateJobInvocationRequest Read(JsonElement body)
    {
        var request = new CreateJobInvocationRequest();
        request.Parse(body);
        return request;
    }

    private void Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("job_invocation", out var j) || j.ValueKind != JsonValueKind.Object)
        {
            Add("job_invocation", "is missing; send {\"job_invocation\": {...}}");
            return;
        }
        var templateId = Long(j, "job_template_id");
        var feature = String(j, "feature");
        if (templateId is null && string.IsNullOrWhiteSpace(feature)) Add("job_template_id", "is required unless feature is given");
        var targeting = String(j, "targeting_type");
        var targetingType = TargetingType.StaticQuery;
        if (targeting is null) Add("targeting_type", "can't be blank");
        else if (targeting == "dynamic_query") targetingType = TargetingType.DynamicQuery;
        else if (targeting != "static_query") Add("targeting_type", "must be one of static_query, dynamic_query");
        var search = String(j, "search_query");
        var bookmark = Long(j, "bookmark_id");
        if (string.IsNullOrWhiteSpace(search) && bookmark is null) Add("search_query", "or bookmark_id is required to choose the hosts");

        var inputs = new Dictionary<string, string>();
        if (j.TryGetProperty("inputs", out var inputsElement) && inputsElement.ValueKind != JsonValueKind.Null)
        {
            if (inputsElement.ValueKind != JsonValueKind.Object) Add("inputs", "must be an object of input name to value");
            else foreach (var input in inputsElement.EnumerateObject())
            {
                var value = input.Value.ValueKind == JsonValueKind.String ? input.Value.GetString()! : input.Value.GetRawText();
                if (FieldLimits.Name(input.Name) is { } tooLong) Add("inputs", $"input name {tooLong}");
                else if (FieldLimits.InputValue(value) is { } tooLarge) Add($"inputs[{input.Name}]", tooLarge);
                else inputs[input.Name] = value;
            }
        }
        var ssh = Object(j, "ssh");
        var effectiveUser = ssh is { } sshElement ? String(sshElement, "effective_user", "ssh[effective_user]") : null;

        var recurrence = Object(j, "recurrence");
        string? cron = null, purpose = null;
        int? maxIteration = null;
        DateTimeOffset? endTime = null;
        if (recurrence is { } r)
        {
            cron = String(r, "cron_line", "recurrence[cron_line]");
            maxIteration = Int(r, "max_iteration", "recurrence[max_iteration]");
            endTime = Date(r, "end_time", "recurrence[end_time]");
            purpose = String(r, "purpose", "recurrence[purpose]");
            if (string.IsNullOrWhiteSpace(cron)) Add("recurrence[cron_line]", "can't be blank for a recurring job");
        }
        var scheduling = Object(j, "scheduling");
        var startAt = scheduling is { } s ? Date(s, "start_at", "scheduling[start_at]") : null;
        var startBefore = scheduling is { } s2 ? Date(s2, "start_before", "scheduling[start_before]") : null;
        var control = Object(j, "concurrency_control");
        var concurrency = control is { } c ? Int(c, "concurrency_level", "concurrency_control[concurrency_level]") : null;
        if (concurrency is <= 0) Add("concurrency_control[concurrency_level]", "must be greater than 0");
        // Beyond Foreman: rolling waves (Fleet's stage runs), the pause between them and the threshold that halts them.
        var waves = control is { } c1 ? String(c1, "waves", "concurrency_control[waves]") : null;
        Check("concurrency_control[waves]", () => WavePlan.Parse(waves));
        var wavePause = control is { } c2 ? Int(c2, "wave_pause", "concurrency_control[wave_pause]") : null;
        if (wavePause is < 0 or > 7 * 86_400) Add("concurrency_control[wave_pause]", "must be between 0 and 604800 seconds");
        var threshold = control is { } c3 ? Text(c3, "failure_threshold", "concurrency_control[failure_threshold]") : null;
        Check("concurrency_control[failure_threshold]", () => FailureThreshold.Parse(threshold));
        var targetRunTimeout = Int(j, "target_run_timeout_interval");
        if (targetRunTimeout is <= 0) Add("target_run_timeout_interval", "must be greater than 0");
        var timeout = Int(j, "execution_timeout_interval");
        if (timeout is <= 0) Add("execution_timeout_interval", "must be greater than 0");
        var pickup = Int(j, "time_to_pickup");
        if (pickup is <= 0) Add("time_to_pickup", "must be greater than 0");
        var randomized = Bool(j, "randomized_ordering");

        foreach (var (field, value) in new[] { ("ssh[effective_user]", effectiveUser), ("recurrence[purpose]", purpose), ("feature", feature) })
            if (FieldLimits.Name(value) is { } tooLong) Add(field, tooLong);

        Job = new NewJob
        {
            TemplateId = templateId,
            // The template id wins when both are given.
            Feature = templateId is null && !string.IsNullOrWhiteSpace(feature) ? feature : null,
            Inputs = inputs,
            SearchQuery = search,
            Targeting = targetingType,
            RandomizedOrdering = randomized ?? false,
            StartAt = startAt,
            StartBefore = startBefore,
            CronLine = cron,
            MaxIteration = maxIteration,
            EndTime = endTime,
            Purpose = purpose,
            ConcurrencyLevel = concurrency,
            TimeToPickupSeconds = pickup,
            ExecutionTimeoutSeconds = timeout,
            EffectiveUser = effectiveUser,
            DescriptionFormat = String(j, "description_format"),
            BookmarkId = bookmark,
            Waves = waves,
            WavePauseSeconds = wavePause,
            FailureThreshold = threshold,
            TargetRunTimeoutSeconds = targetRunTimeout,
        };
    }

    private void Check(string field, Action parse)
    {
        try
        {
            parse();
        }
        catch (Fleet.Domain.DomainException invalid)
        {
            Add(field, invalid.Message);
        }
    }

    /// <summary>A string, or a number given where a string like "3" or "10%" is also allowed.</summary>
    private string? Text(JsonElement parent, string name, string label) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : String(parent, name, label);

    private void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    private JsonElement? Object(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Object) return value;
        Add(name, "must be an object");
        return null;
    }

    private string? String(JsonElement parent, string name, string? label = null)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        Add(label ?? name, "must be a string");
        return null;
    }

    private long? Long(JsonElement parent, string name, string? label = null)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), out var parsed)) return parsed;
        Add(label ?? name, "must be an integer");
        return null;
    }

    private int? Int(JsonElement parent, string name, string? label = null)
    {
        var value = Long(parent, name, label);
        if (value is null) return null;
        if (value is < int.MinValue or > int.MaxValue)
        {
            Add(label ?? name, "is out of range");
            return null;
        }
        return (int)value;
    }

    private bool? Bool(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        if (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var parsed)) return parsed;
        Add(name, "must be true or false");
        return null;
    }

    private DateTimeOffset? Date(JsonElement parent, string name, string label)
    {
        var text = String(parent, name, label);
        if (text is null) return null;
        var normalized = text.EndsWith(" UTC", StringComparison.Ordinal) ? text[..^4] + "Z" : text;
        if (DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        Add(label, $"'{text}' is not a valid time");
        return null;
    }
}
