using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

/// <summary>Job templates for the dashboard and the Foreman façade; the rules about names and use live here.</summary>
public sealed class JobTemplates(IDbContextFactory<FleetDbContext> dbFactory) : IJobTemplates
{
    public async Task<IReadOnlyList<JobTemplateView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var templates = await db.JobTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        return templates.Select(ToView).ToList();
    }

    public async Task<JobTemplateView?> GetAsync(long templateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.JobTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct);
        return template is null ? null : ToView(template);
    }

    public Task<JobTemplateView> CreateAsync(JobTemplateDraft draft, CancellationToken ct = default) =>
        SaveNewAsync(new JobTemplate(draft.Name, draft.JobCategory, draft.Script, draft.Inputs, draft.Description, draft.EffectiveUser,
            draft.DefaultTimeoutSeconds, draft.DescriptionFormat, draft.Feature), ct);

    public async Task<JobTemplateView> UpdateAsync(long templateId, JobTemplateDraft draft, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.JobTemplates.FirstOrDefaultAsync(t => t.Id == templateId, ct) ?? throw new JobTemplateNotFoundException(templateId);
        template.Update(draft.Name, draft.JobCategory, draft.Script, draft.Inputs, draft.Description, draft.EffectiveUser,
            draft.DefaultTimeoutSeconds, draft.DescriptionFormat, draft.Feature);
        await EnsureNameFreeAsync(db, template, ct);
        await UniqueName.SaveAsync(db, nameof(JobTemplate.Name), ct);
        return ToView(template);
    }

    public async Task<JobTemplateView> CloneAsync(long templateId, string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var original = await db.JobTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct) ?? throw new JobTemplateNotFoundException(templateId);
        return await SaveNewAsync(original.Clone(name), ct);
    }

    public async Task DeleteAsync(long templateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.JobTemplates.FirstOrDefaultAsync(t => t.Id == templateId, ct) ?? throw new JobTemplateNotFoundException(templateId);
        // A scheduled invocation, or a recurrence (each occurrence re-runs its first invocation), would otherwise run a template that is gone.
        var scheduled = await db.Invocations.Where(i => i.TemplateId == templateId)
            .Where(i => i.State == InvocationState.Scheduled
                        || db.RecurringLogics.Any(l => l.Id == i.RecurringLogicId && l.State == RecurringState.Active))
            .Select(i => i.Id).Take(6).ToListAsync(ct);
        if (scheduled.Count > 0)
            throw new DomainException($"Template '{template.Name}' is used by scheduled jobs ({string.Join(", ", scheduled.Take(5))}{(scheduled.Count > 5 ? ", ..." : "")}); cancel them first.");
        db.JobTemplates.Remove(template);
        await db.SaveChangesAsync(ct);
    }

    public static JobTemplateView ToView(JobTemplate t) => new(t.Id, t.Name, t.JobCategory, t.Description, t.Script,
        t.Inputs.Select(i => new TemplateInputView(i.Name, i.Description, i.Required, i.Default, i.Options ?? [], i.Sensitive)).ToList(),
        t.EffectiveUser, t.DefaultTimeoutSeconds, t.DescriptionFormat, t.Feature);

    private async Task<JobTemplateView> SaveNewAsync(JobTemplate template, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EnsureNameFreeAsync(db, template, ct);
        db.JobTemplates.Add(template);
        await UniqueName.SaveAsync(db, nameof(JobTemplate.Name), ct);
        return ToView(template);
    }

    private static async Task EnsureNameFreeAsync(FleetDbContext db, JobTemplate template, CancellationToken ct)
    {
        if (await db.JobTemplates.AnyAsync(t => t.Name == template.Name && t.Id != template.Id, ct)) throw UniqueName.Taken(nameof(JobTemplate.Name));
    }
}
