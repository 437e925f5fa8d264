using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Fakes;

/// <summary>Templates for component tests: the pages only list them.</summary>
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

    public Task<JobTemplateView> CreateAsync(JobTemplateDraft draft, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<JobTemplateView> UpdateAsync(long templateId, JobTemplateDraft draft, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<JobTemplateView> CloneAsync(long templateId, string name, CancellationToken ct = default) => throw new NotSupportedException();

    public Task DeleteAsync(long templateId, CancellationToken ct = default) => throw new NotSupportedException();
}
