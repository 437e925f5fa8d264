using System.Text.Json;
using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Security;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

using static Fleet.Web.Api.JobInvocations.ForemanResults;

namespace Fleet.Web.Api.JobInvocations;

public sealed record EffectiveUserJson(string? Value, bool Overridable);

public sealed record TemplateInputJson(string Name, string? Description, bool Required, string? Default, string InputType, string? Options, bool HiddenValue);

public sealed record JobTemplateJson(long Id, string Name, string JobCategory, string? Description, string? DescriptionFormat, string ProviderType, bool Snippet,
    string Template, EffectiveUserJson EffectiveUser, int? ExecutionTimeoutInterval, string? Feature, IReadOnlyList<TemplateInputJson> TemplateInputs);

public sealed record BookmarkJson(long Id, string Name, string Query, string Controller, bool Public, string Owner);

/// <summary>
/// The parts of Foreman's API that job invocations refer to: job templates (<c>job_template_id</c>,
/// <c>feature</c>) and bookmarks (<c>bookmark_id</c>). Same conventions as seed 002.
/// </summary>
public static class ForemanTemplatesApi
{
    /// <summary>Foreman's names for the template fields a domain rule can refuse.</summary>
    private static readonly IReadOnlyDictionary<string, string> TemplateFields = new Dictionary<string, string>
    {
        [nameof(JobTemplate.Name)] = "name",
        [nameof(JobTemplate.Script)] = "template",
        [nameof(JobTemplate.Inputs)] = "template_inputs",
    };

    private static readonly IReadOnlyDictionary<string, string> BookmarkFields = new Dictionary<string, string> { ["Name"] = "name" };

    public static IEndpointRouteBuilder MapForemanTemplatesApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/job_templates").RequireAuthorization(Roles.Viewer).WithTags("Job templates");
        templates.MapGet("", ListTemplates).WithName("ListJobTemplates").WithSummary("List job templates");
        templates.MapGet("/{id}", ShowTemplate).WithName("ShowJobTemplate").WithSummary("Show a job template");
        var edit = templates.MapGroup("").RequireAuthorization(Roles.Admin);
        edit.MapPost("", CreateTemplate).WithName("CreateJobTemplate").WithSummary("Create a job template");
        edit.MapPut("/{id}", UpdateTemplate).WithName("UpdateJobTemplate").WithSummary("Update a job template");
        edit.MapPost("/{id}/clone", CloneTemplate).WithName("CloneJobTemplate").WithSummary("Clone a job template");
        edit.MapDelete("/{id}", DeleteTemplate).WithName("DeleteJobTemplate").WithSummary("Delete a job template no scheduled job uses");
        var bookmarks = app.MapGroup("/api/bookmarks").RequireAuthorization(Roles.Viewer).WithTags("Bookmarks");
        bookmarks.MapGet("", ListBookmarks).WithName("ListBookmarks").WithSummary("List saved host searches");
        bookmarks.MapPost("", CreateBookmark).RequireAuthorization(Roles.Operator).WithName("CreateBookmark").WithSummary("Save a host search");
        return app;
    }

    public static async Task<JsonHttpResult<ForemanList<JobTemplateJson>>> ListTemplates(IJobTemplates templates, CancellationToken ct)
    {
        var all = await templates.ListAsync(ct);
        return Ok(Envelope(all.Select(Template).ToList()));
    }

    public static async Task<Results<JsonHttpResult<JobTemplateJson>, JsonHttpResult<ForemanError>>> ShowTemplate(string id, IJobTemplates templates, CancellationToken ct)
    {
        var template = long.TryParse(id, out var templateId) ? await templates.GetAsync(templateId, ct) : null;
        return template is null ? NotFound("job_template", id) : Ok(Template(template));
    }

    /// <summary>Body: <c>{"job_template": {name, template, job_category, description_format, feature, template_inputs: [{name, required, default, options, hidden_value}]}}</c>.</summary>
    public static async Task<Results<JsonHttpResult<JobTemplateJson>, JsonHttpResult<ForemanInvalid>>> CreateTemplate(
        HttpRequest request, IJobTemplates templates, IOptions<LimitOptions> limits, CancellationToken ct)
    {
        var (draft, invalid) = await ReadDraftAsync(request, limits.Value, ct);
        if (invalid is not null) return invalid;
        try
        {
            return Ok(Template(await templates.CreateAsync(draft!, ct)), StatusCodes.Status201Created);
        }
        catch (DomainException error)
        {
            return Invalid(error, TemplateFields);
        }
    }

    /// <summary>Same body as create; every field is replaced.</summary>
    public static async Task<Results<JsonHttpResult<JobTemplateJson>, JsonHttpResult<ForemanError>, JsonHttpResult<ForemanInvalid>>> UpdateTemplate(
        string id, HttpRequest request, IJobTemplates templates, IOptions<LimitOptions> limits, CancellationToken ct)
    {
        if (!long.TryParse(id, out var templateId)) return NotFound("job_template", id);
        var (draft, invalid) = await ReadDraftAsync(request, limits.Value, ct);
        if (invalid is not null) return invalid;
        try
        {
            return Ok(Template(await templates.UpdateAsync(templateId, draft!, ct)));
        }
        catch (JobTemplateNotFoundException)
        {
            return NotFound("job_template", id);
        }
        catch (DomainException error)
        {
            return Invalid(error, TemplateFields);
        }
    }

    /// <summary>Body: <c>{"job_template": {"name": "..."}}</c>, the copy's name.</summary>
    public static async Task<Results<JsonHttpResult<JobTemplateJson>, JsonHttpResult<ForemanError>, JsonHttpResult<ForemanInvalid>>> CloneTemplate(
        string id, HttpRequest request, IJobTemplates templates, CancellationToken ct)
    {
        if (!long.TryParse(id, out var templateId)) return NotFound("job_template", id);
        var (body, invalid) = await ReadWrappedAsync(request, "job_template", ct);
        if (invalid is not null) return invalid;
        var name = Text(body.GetProperty("job_template"), "name");
        if (string.IsNullOrWhiteSpace(name)) return Invalid("name", "can't be blank");
        if (FieldLimits.Name(name) is { } tooLong) return Invalid("name", tooLong);
        try
        {
            return Ok(Template(await templates.CloneAsync(templateId, name, ct)), StatusCodes.Status201Created);
        }
        catch (JobTemplateNotFoundException)
        {
            return NotFound("job_template", id);
        }
        catch (DomainException error)
        {
            return Invalid(error, TemplateFields);
        }
    }

    /// <summary>Answers the deleted template, as Foreman does; 422 while a scheduled or recurring job uses it.</summary>
    public static async Task<Results<JsonHttpResult<JobTemplateJson>, JsonHttpResult<ForemanError>>> DeleteTemplate(
        string id, IJobTemplates templates, CancellationToken ct)
    {
        var template = long.TryParse(id, out var templateId) ? await templates.GetAsync(templateId, ct) : null;
        if (template is null) return NotFound("job_template", id);
        try
        {
            await templates.DeleteAsync(templateId, ct);
            return Ok(Template(template));
        }
        catch (JobTemplateNotFoundException)
        {
            return NotFound("job_template", id);
        }
        catch (DomainException refused)
        {
            return Error(refused.Message, StatusCodes.Status422UnprocessableEntity);
        }
    }

    public static async Task<JsonHttpResult<ForemanList<BookmarkJson>>> ListBookmarks(IBookmarks bookmarks, CancellationToken ct)
    {
        var all = await bookmarks.ListAsync(ct);
        return Ok(Envelope(all.Select(Bookmark).ToList()));
    }

    /// <summary>Body: <c>{"bookmark": {name, query, controller: "hosts", public}}</c>. The query must parse.</summary>
    public static async Task<Results<JsonHttpResult<BookmarkJson>, JsonHttpResult<ForemanInvalid>>> CreateBookmark(
        HttpRequest request, IBookmarks bookmarks, CancellationToken ct)
    {
        var (body, invalid) = await ReadWrappedAsync(request, "bookmark", ct);
        if (invalid is not null) return invalid;
        var b = body.GetProperty("bookmark");
        var controller = Text(b, "controller") ?? "hosts";
        if (controller != "hosts") return Invalid("controller", "only 'hosts' bookmarks can be saved");
        if (FieldLimits.Name(Text(b, "name")) is { } tooLong) return Invalid("name", tooLong);
        if (FieldLimits.InputValue(Text(b, "query")) is { } tooLarge) return Invalid("query", tooLarge);
        try
        {
            var created = await bookmarks.CreateAsync(Text(b, "name") ?? "", Text(b, "query") ?? "", request.HttpContext.ActorName(), Flag(b, "public"), ct);
            return Ok(Bookmark(created), StatusCodes.Status201Created);
        }
        catch (SearchSyntaxException error)
        {
            return Invalid("query", error.Message);
        }
        catch (DomainException error)
        {
            return Invalid(error, BookmarkFields);
        }
    }

    /// <summary>A template body read into a draft, with every size problem named per field (Foreman answers them all at once).</summary>
    private static async Task<(JobTemplateDraft? Draft, JsonHttpResult<ForemanInvalid>? Error)> ReadDraftAsync(HttpRequest request, LimitOptions limits, CancellationToken ct)
    {
        var (body, invalid) = await ReadWrappedAsync(request, "job_template", ct);
        if (invalid is not null) return (null, invalid);
        var t = body.GetProperty("job_template");
        var errors = new Dictionary<string, List<string>>();
        void Check(string field, string? problem)
        {
            if (problem is not null) (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(problem);
        }
        foreach (var field in new[] { "name", "job_category", "feature", "effective_user" }) Check(field, FieldLimits.Name(Text(t, field)));
        Check("template", FieldLimits.Script(Text(t, "template"), limits.MaxScriptBytes));
        var inputs = new List<TemplateInput>();
        if (t.TryGetProperty("template_inputs", out var list) && list.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
            Check("template_inputs", "must be a list of inputs");
        else if (list.ValueKind == JsonValueKind.Array)
            foreach (var i in list.EnumerateArray())
            {
                if (i.ValueKind != JsonValueKind.Object)
                {
                    Check("template_inputs", $"each input must be an object with a name, not {i.ValueKind.ToString().ToLowerInvariant()}");
                    continue;
                }
                Check("template_inputs", FieldLimits.Name(Text(i, "name")) is { } tooLong ? $"name {tooLong}" : null);
                Check("template_inputs", FieldLimits.InputValue(Text(i, "default")) is { } tooLarge ? $"default {tooLarge}" : null);
                inputs.Add(new TemplateInput(Text(i, "name") ?? "", Text(i, "description"), Flag(i, "required"), Text(i, "default"),
                    Text(i, "options")?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), Flag(i, "hidden_value")));
            }
        if (errors.Count > 0) return (null, Invalid(errors));
        return (new JobTemplateDraft(Text(t, "name") ?? "", Text(t, "job_category") ?? "Miscellaneous", Text(t, "template") ?? "", inputs,
            Text(t, "description"), Text(t, "effective_user"), null, Text(t, "description_format"), Text(t, "feature")), null);
    }

    private static JobTemplateJson Template(JobTemplateView t) => new(t.Id, t.Name, t.JobCategory, t.Description, t.DescriptionFormat, "script", false, t.Script,
        new EffectiveUserJson(t.EffectiveUser, true), t.DefaultTimeoutSeconds, t.Feature,
        t.Inputs.Select(i => new TemplateInputJson(i.Name, i.Description, i.Required, i.Default, "user", i.Options.Count > 0 ? string.Join("\n", i.Options) : null, i.Sensitive)).ToList());

    private static BookmarkJson Bookmark(BookmarkView b) => new(b.Id, b.Name, b.Query, b.Controller, b.Public, b.Owner);

    private static ForemanList<T> Envelope<T>(IReadOnlyList<T> results) => new(results.Count, results.Count, 1, results.Count, null, new ForemanSort(null, null), results);

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
