using System.Globalization;
using System.Text.RegularExpressions;

namespace Fleet.Domain.Operations;

/// <summary>
/// The parameters each operation type takes, with their kinds, ranges and defaults. Values arrive as plain
/// .NET values (bool, long, double, string, a list, a dictionary for an object) so this stays free of any
/// wire format. Values that reach a shell script (service, package and host names) are held to strict
/// patterns here: the templates put them on a command line.
/// </summary>
public enum ParameterKind { Bool, Int, Text, List }

/// <summary>One parameter of an operation type. <paramref name="Min"/> and <paramref name="Max"/> bound a number, or a list's length.</summary>
public sealed record ParameterField(string Name, ParameterKind Kind, object? Default, int Min, int Max, bool Required);

public static partial class OperationParameters
{
    private sealed record Spec(string Name, ParameterKind Kind, object? Default, int Min = 0, int Max = 0, Regex? Pattern = null, bool Required = false);

    [GeneratedRegex(@"^[A-Za-z0-9@._:\\-]{1,200}$")]
    private static partial Regex UnitName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9+._:~-]{0,199}$")]
    private static partial Regex PackageName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$")]
    private static partial Regex NetworkHost();

    [GeneratedRegex(@"^[^\u0000-\u001F\u007F]{0,255}$")]
    private static partial Regex PlainLine();

    private static readonly Spec Timeout = new("timeout_minutes", ParameterKind.Int, 30, 1, 1440);

    private static readonly Dictionary<OperationType, Spec[]> Specs = new()
    {
        [OperationType.InventorySync] =
        [
            new("sync_software", ParameterKind.Bool, true),
            new("sync_hardware", ParameterKind.Bool, true),
            new("update_location", ParameterKind.Bool, false),
            new("location", ParameterKind.Text, null, Pattern: PlainLine()),
            Timeout,
        ],
        [OperationType.HealthCheck] =
        [
            new("check_disk_space", ParameterKind.Bool, true),
            new("check_memory_usage", ParameterKind.Bool, true),
            new("check_network_connectivity", ParameterKind.Bool, true),
            new("check_running_services", ParameterKind.Bool, true),
            new("disk_threshold_percent", ParameterKind.Int, 85, 1, 100),
            new("memory_threshold_percent", ParameterKind.Int, 90, 1, 100),
            new("services", ParameterKind.List, Array.Empty<string>(), 0, 50, UnitName()),
            new("connectivity_targets", ParameterKind.List, Array.Empty<string>(), 0, 20, NetworkHost()),
            Timeout with { Default = 15 },
        ],
        [OperationType.RestartService] =
        [
            new("service_name", ParameterKind.Text, null, Pattern: UnitName(), Required: true),
            new("verify_status", ParameterKind.Bool, true),
            Timeout with { Default = 10 },
        ],
        [OperationType.Reboot] =
        [
            new("force", ParameterKind.Bool, false),
            new("delay", ParameterKind.Int, 0, 0, 86_400),
            new("message", ParameterKind.Text, null, Pattern: PlainLine()),
        ],
        [OperationType.Update] =
        [
            new("package_list", ParameterKind.List, Array.Empty<string>(), 0, 500, PackageName()),
            new("security_only", ParameterKind.Bool, false),
            Timeout with { Default = 60 },
        ],
    };

    /// <summary>The parameters a type takes, as a form shows them: kind, default and range.</summary>
    public static IReadOnlyList<ParameterField> FieldsOf(OperationType type) =>
        Specs[type].Select(s => new ParameterField(s.Name, s.Kind, s.Default, s.Min, s.Max, s.Required)).ToList();

    /// <summary>Parameter names a type takes, in the order the API shows them.</summary>
    public static IReadOnlyList<string> NamesOf(OperationType type) => Specs[type].Select(s => s.Name).ToList();

    /// <summary>
    /// Checks every value and fills in defaults. Every problem is reported (unknown names, wrong kinds, out of
    /// range, bad patterns, missing required values); the normalised values are meaningful only when none is.
    /// </summary>
    /// <returns>Normalised values: bool, int, string (or null) and string[]; one entry per parameter of the type.</returns>
    public static (IReadOnlyDictionary<string, object?> Values, IReadOnlyList<OperationProblem> Problems) Validate(
        OperationType type, IReadOnlyDictionary<string, object?>? given)
    {
        given ??= new Dictionary<string, object?>();
        var problems = new List<OperationProblem>();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var specs = Specs[type];
        foreach (var name in given.Keys.Where(k => specs.All(s => s.Name != k)).Order(StringComparer.Ordinal))
            problems.Add(OperationProblem.At($"'{Clip(name)}' is not a parameter of {type.WireName()}; it takes {string.Join(", ", specs.Select(s => s.Name))}.", "parameters", Clip(name)));
        foreach (var spec in specs)
        {
            if (!given.TryGetValue(spec.Name, out var value) || value is null)
            {
                if (spec.Required) problems.Add(OperationProblem.At($"{spec.Name} is required for {type.WireName()}.", "parameters", spec.Name));
                values[spec.Name] = spec.Default;
                continue;
            }
            var (normalised, problem) = Read(spec, value);
            if (problem is not null) problems.Add(OperationProblem.At(problem, "parameters", spec.Name));
            values[spec.Name] = normalised;
        }
        if (type == OperationType.InventorySync && values["update_location"] is true && string.IsNullOrWhiteSpace(values["location"] as string))
            problems.Add(OperationProblem.At("update_location needs a location to set.", "parameters", "location"));
        return (values, problems);
    }

    private static (object? Value, string? Problem) Read(Spec spec, object value) => spec.Kind switch
    {
        ParameterKind.Bool => value is bool b ? (b, null) : (null, $"{spec.Name} must be true or false."),
        ParameterKind.Int => value switch
        {
            long n when n >= spec.Min && n <= spec.Max => ((int)n, null),
            double d when d == Math.Floor(d) && d >= spec.Min && d <= spec.Max => ((int)d, null),
            long or double => (null, $"{spec.Name} must be between {spec.Min} and {spec.Max}."),
            _ => (null, $"{spec.Name} must be a whole number between {spec.Min} and {spec.Max}."),
        },
        ParameterKind.Text => value is string s && spec.Pattern!.IsMatch(s) ? (s, null) : (null, $"{spec.Name} {TextRule(spec)}."),
        _ => ReadList(spec, value),
    };

    private static (object? Value, string? Problem) ReadList(Spec spec, object value)
    {
        if (value is not IReadOnlyList<object?> items) return (null, $"{spec.Name} must be a list of names.");
        if (items.Count > spec.Max) return (null, $"{spec.Name} may hold at most {spec.Max} names.");
        var names = new List<string>(items.Count);
        foreach (var item in items)
        {
            if (item is not string name || !spec.Pattern!.IsMatch(name)) return (null, $"{spec.Name} holds '{Clip(Convert.ToString(item, CultureInfo.InvariantCulture) ?? "null")}', which {TextRule(spec)}.");
            names.Add(name);
        }
        return (names.Distinct(StringComparer.Ordinal).ToArray(), null);
    }

    private static string TextRule(Spec spec) =>
        spec.Pattern == PlainLine() ? "must be one line of at most 255 characters" : "must be a name of letters, digits and . _ - : @ (no spaces or shell characters)";

    private static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>Values as a job template's inputs: booleans as true/false, lists space-separated.</summary>
    public static IReadOnlyDictionary<string, string> AsTemplateInputs(IReadOnlyDictionary<string, object?> values) =>
        values.ToDictionary(p => p.Key, p => p.Value switch
        {
            bool b => b ? "true" : "false",
            IEnumerable<string> list => string.Join(' ', list),
            null => "",
            var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? "",
        });

    public static int TimeoutMinutes(OperationType type, IReadOnlyDictionary<string, object?> values) =>
        values.TryGetValue("timeout_minutes", out var minutes) && minutes is int m ? m : type == OperationType.Reboot ? 30 : 60;
}
