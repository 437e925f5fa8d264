using System.Text.Json;
using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Search;
using Fleet.Domain.Security;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using static Fleet.Web.Api.JobInvocations.ForemanResults;

namespace Fleet.Web.Api.JobInvocations;

/// <summary>
/// The parts of Foreman's API that job invocations refer to: job templates (<c>job_template_id</c>,
/// <c>feature</c>) and bookmarks (<c>bookmark_id</c>). Same conventions as seed 002.
/// </summary>
public static class ForemanTemplatesApi
{
    public static IEndpointRouteBuilder MapForemanTemplatesApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/job_templates").RequireAuthorization(Roles.Viewer).WithTags("Job templates");
        templates.MapGet("", ListTemplates).WithName("ListJobTemplates").WithSummary("List job templates");
        templates.MapGet("/{id}", ShowTemplate).WithName("ShowJobTemplate").WithSummary("Show a job template");
        templates.MapPost("", CreateTemplate).RequireAuthorization(Roles.Admin).WithName("CreateJobTemplate").WithSummary("Create a job template");
        var bookmarks = app.MapGroup("/api/bookmarks").RequireAuthorization(Roles.Viewer).WithTags("Bookmarks");
        bookmarks.MapGet("", ListBookmarks).WithName("ListBookmarks").WithSummary("List saved host searches");
        bookmarks.MapPost("", CreateBookmark).RequireAuthorization(Roles.Operator).WithName("CreateBookmark").WithSummary("Save a host search");
        return app;
    }

    public static async Task<IResult> ListTemplates(IInvocationService invocations, CancellationToken ct)
    {
        var all = await invocations.ListTemplatesAsync(ct);
        return Ok(Envelope(all.Count, all.Select(Template).ToList()));
    }

    public static async Task<IResult> ShowTemplate(string id, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        if (!long.TryParse(id, out var templateId)) return NotFound("job_template", id);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.JobTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct);
        return template is null ? NotFound("job_template", id) : Ok(Template(InvocationService.ToView(template)));
    }

    /// <summary>Body: <c>{"job_template": {name, template, job_category, description_format, feature, template_inputs: [{name, required, default, options, hidden_value}]}}</c>.</summary>
    public static async Task<IResult> CreateTemplate(HttpRequest request, IDbContextFactory<FleetDbContext> dbFactory, IOptions<LimitOptions> limits, CancellationToken ct)
    {
        var (body, invalid) = await ReadWrappedAsync(request, "job_template", ct);
        if (invalid is not null) return invalid;
        var t = body.GetProperty("job_template");
        var errors = new Dictionary<string, List<string>>();
        void Check(string field, string? problem)
        {
            if (problem is not null) (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(problem);
        }
        foreach (var field in new[] { "name", "job_category", "feature", "effective_user" }) Check(field, FieldLimits.Name(Text(t, field)));
        Check("template", FieldLimits.Script(Text(t, "template"), limits.Value.MaxScriptBytes));
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
        if (errors.Count > 0) return Invalid(errors);
        try
        {
            var template = new JobTemplate(Text(t, "name") ?? "", Text(t, "job_category") ?? "Miscellaneous", Text(t, "template") ?? "", inputs,
                Text(t, "description"), Text(t, "effective_user"), null, Text(t, "description_format"), Text(t, "feature"));
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.JobTemplates.AnyAsync(x => x.Name == template.Name, ct)) return Invalid("name", "has already been taken");
            db.JobTemplates.Add(template);
            await db.SaveChangesAsync(ct);
            return Ok(Template(InvocationService.ToView(template)), StatusCodes.Status201Created);
        }
        catch (DomainException error)
        {
            return Invalid("base", error.Message);
        }
        catch (DbUpdateException race) when (DbErrors.IsUniqueViolation(race))
        {
            return Invalid("name", "has already been taken");
        }
    }

    public static async Task<IResult> ListBookmarks(IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.Bookmarks.AsNoTracking().OrderBy(b => b.Name).ToListAsync(ct);
        return Ok(Envelope(all.Count, all.Select(Bookmark).ToList()));
    }

    /// <summary>Body: <c>{"bookmark": {name, query, controller: "hosts", public}}</c>. The query must parse.</summary>
    public static async Task<IResult> CreateBookmark(HttpRequest request, IDbContextFactory<FleetDbContext> dbFactory, CancellationToken ct)
    {
        var (body, invalid) = await ReadWrappedAsync(request, "bookmark", ct);
        if (invalid is not null) return invalid;
        var b = body.GetProperty("bookmark");
        var controller = Text(b, "controller") ?? "hosts";
        if (controller != "hosts") return Invalid("controller", "only 'hosts' bookmarks can be saved");
        if (FieldLimits.Name(Text(b, "name")) is { } tooLong) return Invalid("name", tooLong);
        if (FieldLimits.InputValue(Text(b, "query")) is { } tooLarge) return Invalid("query", tooLarge);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            var bookmark = new Bookmark(Text(b, "name") ?? "", Text(b, "query") ?? "", request.HttpContext.ActorName(), Flag(b, "public"));
            await TargetResolver.Query(db, bookmark.Query).AnyAsync(ct);
            if (await db.Bookmarks.AnyAsync(x => x.Name == bookmark.Name, ct)) return Invalid("name", "has already been taken");
            db.Bookmarks.Add(bookmark);
            await db.SaveChangesAsync(ct);
            return Ok(Bookmark(bookmark), StatusCodes.Status201Created);
        }
        catch (SearchSyntaxException error)
        {
            return Invalid("query", error.Message);
        }
        catch (DbUpdateException race) when (DbErrors.IsUniqueViolation(race))
        {
            return Invalid("name", "has already been taken");
        }
        catch (DomainException error)
        {
            return Invalid("base", error.Message);
        }
    }

    private static Dictionary<string, object?> Template(JobTemplateView t) => new()
    {
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["job_category"] = t.JobCategory,
        ["description"] = t.Description,
        ["description_format"] = t.DescriptionFormat,
        ["provider_type"] = "script",
        ["snippet"] = false,
        ["template"] = t.Script,
        ["effective_user"] = new Dictionary<string, object?> { ["value"] = t.EffectiveUser, ["overridable"] = true },
        ["execution_timeout_interval"] = t.DefaultTimeoutSeconds,
        ["feature"] = t.Feature,
        ["template_inputs"] = t.Inputs.Select(i => new Dictionary<string, object?>
        {
            ["name"] = i.Name,
            ["description"] = i.Description,
            ["required"] = i.Required,
            ["default"] = i.Default,
            ["input_type"] = "user",
            ["options"] = i.Options.Count > 0 ? string.Join("\n", i.Options) : null,
            ["hidden_value"] = i.Sensitive,
        }).ToList(),
    };

    private static Dictionary<string, object?> Bookmark(Bookmark b) => new()
    {
        ["id"] = b.Id, ["name"] = b.Name, ["query"] = b.Query, ["controller"] = b.Controller, ["public"] = b.Public, ["owner"] = b.Owner,
    };

    private static Dictionary<string, object?> Envelope(int total, object results) => new()
    {
        ["total"] = total, ["subtotal"] = total, ["page"] = 1, ["per_page"] = total, ["search"] = null,
        ["sort"] = new Dictionary<string, object?> { ["by"] = null, ["order"] = null }, ["results"] = results,
    };

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
