using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Fakes;

/// <summary>Templates for component tests, kept in a list; the real entity's rules apply, plus the taken-name and in-use refusals.</summary>
public sealed class FakeJobTemplates : IJobTemplates
{
    public List<JobTemplateView> Items { get; } =
    [
        new(1, "Run Command - Script Default", "Commands", "Run any shell command", "<%= input('command') %>",
            [new TemplateInputView("command", null, true, null, [], false)], null, null, null, "run_script"),
        new(2, "Deploy", "Deploys", "Deploy an app", "deploy <%= input('env') %> <%= input('token') %>",
        [
            new TemplateInputView("env", "Where", true, "staging", ["staging", "production"], false),
            new TemplateInputView("token", "Secret", true, null, [], true),
        ], null, 120, null, null),
    ];

    public Task<IReadOnlyList<JobTemplateView>> ListAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<JobTemplateView>>(Items);

    public Task<JobTemplateView?> GetAsync(long templateId, CancellationToken ct = default) => Task.FromResult(Items.FirstOrDefault(t => t.Id == templateId));

    /// <summary>Template ids a scheduled job still needs: deleting them is refused like the engine does.</summary>
    public HashSet<long> UsedBySchedules { get; } = [];

    public Task<JobTemplateView> CreateAsync(JobTemplateDraft draft, CancellationToken ct = default)
    {
        var view = Validated(0, draft) with { Id = Items.Count == 0 ? 1 : Items.Max(t => t.Id) + 1 };
        Items.Add(view);
        return Task.FromResult(view);
    }

    public Task<JobTemplateView> UpdateAsync(long templateId, JobTemplateDraft draft, CancellationToken ct = default)
    {
        var index = Items.FindIndex(t => t.Id == templateId);
        if (index < 0) throw new JobTemplateNotFoundException(templateId);
        Items[index] = Validated(templateId, draft);
        return Task.FromResult(Items[index]);
    }

    public Task<JobTemplateView> CloneAsync(long templateId, string name, CancellationToken ct = default)
    {
        var original = Items.FirstOrDefault(t => t.Id == templateId) ?? throw new JobTemplateNotFoundException(templateId);
        var inputs = original.Inputs.Select(i => new TemplateInput(i.Name, i.Description, i.Required, i.Default, i.Options, i.Sensitive)).ToList();
        return CreateAsync(new JobTemplateDraft(name, original.JobCategory, original.Script, inputs, original.Description,
            original.EffectiveUser, original.DefaultTimeoutSeconds, original.DescriptionFormat), ct);
    }

    public Task DeleteAsync(long templateId, CancellationToken ct = default)
    {
        var template = Items.FirstOrDefault(t => t.Id == templateId) ?? throw new JobTemplateNotFoundException(templateId);
        if (UsedBySchedules.Contains(templateId))
            throw new DomainException($"Template '{template.Name}' is used by scheduled jobs (41); cancel them first.");
        Items.Remove(template);
        return Task.CompletedTask;
    }

    private JobTemplateView Validated(long id, JobTemplateDraft draft)
    {
        var entity = new JobTemplate(draft.Name, draft.JobCategory, draft.Script, draft.Inputs, draft.Description, draft.EffectiveUser,
            draft.DefaultTimeoutSeconds, draft.DescriptionFormat, draft.Feature);
        if (Items.Any(t => t.Name == entity.Name && t.Id != id)) throw new DomainException("has already been taken", nameof(JobTemplate.Name));
        return Fleet.Web.Engine.Execution.JobTemplates.ToView(entity) with { Id = id };
    }
}
