using Fleet.Domain.Execution;

namespace Fleet.Web.Engine;

public sealed record TemplateInputView(string Name, string? Description, bool Required, string? Default, IReadOnlyList<string> Options, bool Sensitive);

public sealed record JobTemplateView(
    long Id,
    string Name,
    string JobCategory,
    string? Description,
    string Script,
    IReadOnlyList<TemplateInputView> Inputs,
    string? EffectiveUser,
    int? DefaultTimeoutSeconds,
    string? DescriptionFormat,
    string? Feature);

/// <summary>Everything a template says, for creating one or replacing one's content.</summary>
public sealed record JobTemplateDraft(
    string Name,
    string JobCategory,
    string Script,
    IReadOnlyList<TemplateInput> Inputs,
    string? Description = null,
    string? EffectiveUser = null,
    int? DefaultTimeoutSeconds = null,
    string? DescriptionFormat = null,
    string? Feature = null);

/// <summary>
/// Job templates. Broken rules → <see cref="Fleet.Domain.DomainException"/> whose <c>Field</c> names the
/// <see cref="JobTemplate"/> property at fault (a taken name is <c>Name</c>); unknown ids → <see cref="JobTemplateNotFoundException"/>.
/// </summary>
public interface IJobTemplates
{
    Task<IReadOnlyList<JobTemplateView>> ListAsync(CancellationToken ct = default);
    Task<JobTemplateView?> GetAsync(long templateId, CancellationToken ct = default);
    Task<JobTemplateView> CreateAsync(JobTemplateDraft draft, CancellationToken ct = default);
    /// <summary>Replaces the template's content; invocations already created keep the script they were given.</summary>
    Task<JobTemplateView> UpdateAsync(long templateId, JobTemplateDraft draft, CancellationToken ct = default);
    Task<JobTemplateView> CloneAsync(long templateId, string name, CancellationToken ct = default);
    /// <summary>Refused while a scheduled or recurring job still needs the template.</summary>
    Task DeleteAsync(long templateId, CancellationToken ct = default);
}

public sealed class JobTemplateNotFoundException(long id) : Exception($"Resource job_template not found by id '{id}'")
{
    public long TemplateId { get; } = id;
}
