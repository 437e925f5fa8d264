using System.Text.RegularExpressions;

namespace Fleet.Domain.Execution;

/// <summary>A typed input of a job template.</summary>
public sealed record TemplateInput(string Name, string? Description = null, bool Required = false, string? Default = null,
    IReadOnlyList<string>? Options = null, bool Sensitive = false);

/// <summary>
/// A reusable script with typed inputs. Placeholders use Foreman's syntax, <c>&lt;%= input('name') %&gt;</c>
/// (single or double quotes), so templates written for Foreman read the same here.
/// </summary>
public sealed partial class JobTemplate
{
    private JobTemplate() { }

    public JobTemplate(string name, string jobCategory, string script, IReadOnlyList<TemplateInput> inputs, string? description = null,
        string? effectiveUser = null, int? defaultTimeoutSeconds = null, string? descriptionFormat = null, string? feature = null) =>
        Update(name, jobCategory, script, inputs, description, effectiveUser, defaultTimeoutSeconds, descriptionFormat, feature);

    /// <summary>Replaces everything a template says, under the same rules as a new one.</summary>
    public void Update(string name, string jobCategory, string script, IReadOnlyList<TemplateInput> inputs, string? description = null,
        string? effectiveUser = null, int? defaultTimeoutSeconds = null, string? descriptionFormat = null, string? feature = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("A template needs a name.", nameof(Name));
        if (string.IsNullOrWhiteSpace(script)) throw new DomainException("A template needs a script.", nameof(Script));
        var duplicate = inputs.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DomainException($"Input '{duplicate.Key}' is defined twice.", nameof(Inputs));
        foreach (var used in UsedInputs(script))
            if (inputs.All(i => i.Name != used)) throw new DomainException($"The script uses input '{used}', which the template does not define.", nameof(Script));
        Name = name.Trim();
        JobCategory = string.IsNullOrWhiteSpace(jobCategory) ? "Commands" : jobCategory.Trim();
        Script = script;
        Inputs = inputs.ToList();
        Description = description;
        EffectiveUser = effectiveUser;
        DefaultTimeoutSeconds = defaultTimeoutSeconds;
        DescriptionFormat = descriptionFormat;
        Feature = feature;
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public string JobCategory { get; private set; } = "";
    public string Script { get; private set; } = "";
    public List<TemplateInput> Inputs { get; private set; } = [];
    public string? Description { get; private set; }
    public string? EffectiveUser { get; private set; }
    public int? DefaultTimeoutSeconds { get; private set; }
    /// <summary>e.g. <c>%{template_name} with inputs %{command}</c>; unknown names are left as written.</summary>
    public string? DescriptionFormat { get; private set; }
    /// <summary>Remote-execution feature label (seed 002's <c>feature</c>), e.g. <c>run_script</c>.</summary>
    public string? Feature { get; private set; }

    /// <summary>A copy under another name; the feature label stays with the original, since a feature names one template.</summary>
    public JobTemplate Clone(string name) =>
        new(name, JobCategory, Script, Inputs, Description, EffectiveUser, DefaultTimeoutSeconds, DescriptionFormat);

    /// <summary>Checks values against the inputs (required, options) and fills defaults. Throws with every problem named.</summary>
    public IReadOnlyDictionary<string, string> ResolveInputs(IReadOnlyDictionary<string, string>? values)
    {
        values ??= new Dictionary<string, string>();
        var problems = new List<string>();
        foreach (var unknown in values.Keys.Where(k => Inputs.All(i => i.Name != k)))
            problems.Add($"'{unknown}' is not an input of template '{Name}'");
        var resolved = new Dictionary<string, string>();
        foreach (var input in Inputs)
        {
            var value = values.TryGetValue(input.Name, out var given) && given is not null ? given : input.Default;
            if (string.IsNullOrEmpty(value))
            {
                if (input.Required) problems.Add($"input '{input.Name}' is required");
                resolved[input.Name] = "";
                continue;
            }
            if (input.Options is { Count: > 0 } options && !options.Contains(value))
                problems.Add($"input '{input.Name}' must be one of: {string.Join(", ", options)}");
            resolved[input.Name] = value;
        }
        if (problems.Count > 0) throw new DomainException(string.Join("; ", problems) + ".");
        return resolved;
    }

    public string Render(IReadOnlyDictionary<string, string> resolvedInputs) =>
        Placeholder().Replace(Script, m => resolvedInputs.TryGetValue(m.Groups["name"].Value, out var v) ? v : "");

    /// <summary>The script with sensitive values replaced, for showing to people.</summary>
    public string RenderMasked(IReadOnlyDictionary<string, string> resolvedInputs) =>
        Placeholder().Replace(Script, m =>
        {
            var name = m.Groups["name"].Value;
            return Inputs.Any(i => i.Name == name && i.Sensitive) ? "*****" : resolvedInputs.GetValueOrDefault(name, "");
        });

    public string Describe(IReadOnlyDictionary<string, string> resolvedInputs, string? formatOverride = null)
    {
        var format = formatOverride ?? DescriptionFormat ?? "%{template_name}";
        return DescriptionToken().Replace(format, m =>
        {
            var key = m.Groups["key"].Value;
            if (key == "template_name") return Name;
            if (key == "job_category") return JobCategory;
            var input = Inputs.FirstOrDefault(i => i.Name == key);
            if (input is null) return m.Value;
            return input.Sensitive ? "*****" : resolvedInputs.GetValueOrDefault(key, "");
        });
    }

    public static IEnumerable<string> UsedInputs(string script) => Placeholder().Matches(script).Select(m => m.Groups["name"].Value).Distinct();

    [GeneratedRegex(@"<%=\s*input\(\s*['""](?<name>[^'""]+)['""]\s*\)\s*%>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"%\{(?<key>[A-Za-z0-9_ ]+)\}")]
    private static partial Regex DescriptionToken();
}
