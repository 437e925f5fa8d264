using Fleet.Domain;
using Fleet.Web.Components.Jobs;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Fleet.Web.Audit;

namespace Fleet.Web.Components.Pages;

public sealed partial class JobWizard
{
    private readonly JobDraft _draft = new();
    private IReadOnlyList<JobTemplateView> _templates = [];
    private IReadOnlyList<string> _problems = [];
    private string? _error;
    private bool _running;
    private int _step;

    [Inject] private IInvocationService Invocations { get; set; } = default!;
    [Inject] private IJobTemplates Templates { get; set; } = default!;

    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Opens the wizard with this template already chosen (the templates page links here).</summary>
    [SupplyParameterFromQuery(Name = "template")] public long? TemplateId { get; set; }

    /// <summary>Opens the wizard with these hosts picked (comma-separated ids; the fleet page's bulk "Run job…").</summary>
    [SupplyParameterFromQuery(Name = "hosts")] public string? PickedHosts { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _templates = await Templates.ListAsync();
        if (TemplateId is { } id && _templates.FirstOrDefault(t => t.Id == id) is { } template) _draft.ChooseTemplate(template);
        var picked = (PickedHosts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => Guid.TryParse(text, out var hostId) ? hostId : (Guid?)null).OfType<Guid>().ToList();
        if (picked.Count > 0)
        {
            _draft.PickHosts = true;
            _draft.HostIds.UnionWith(picked);
        }
    }

    private bool OnReviewStep => _step == _draft.VisibleSteps.Count - 1;

    private void Changed() => _problems = [];

    /// <summary>A step may be completed (Next) only when its problems are solved; going back is always allowed.</summary>
    private Task OnStepInteraction(StepperInteractionEventArgs args)
    {
        if (args.Action != StepAction.Complete) return Task.CompletedTask;
        _problems = _draft.Problems(_draft.VisibleSteps[args.StepIndex], Clock.GetUtcNow());
        if (_problems.Count > 0) args.Cancel = true;
        // A plain callback, not an EventCallback: the page must ask to show the problems itself.
        StateHasChanged();
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        _error = null;
        var all = Enumerable.Range(0, JobDraft.ReviewStep).SelectMany(step => _draft.Problems(step, Clock.GetUtcNow())).ToList();
        if (all.Count > 0)
        {
            _problems = all;
            return;
        }
        _running = true;
        try
        {
            var owner = AuthenticationState is null ? "dashboard" : (await AuthenticationState).User.Identity?.Name ?? "dashboard";
            var id = await Invocations.CreateAsync(_draft.ToNewJob(), owner);
            // Names and ids only: input values may be sensitive and never enter the audit log.
            await Audit.SucceededAsync("run job", $"invocation {id}");
            Navigation.NavigateTo($"/jobs/{id}");
        }
        catch (Exception error) when (error is DomainException or SearchSyntaxException)
        {
            _error = error.Message;
            await Audit.FailedAsync("run job", "new invocation", error.Message);
        }
        finally
        {
            _running = false;
        }
    }
}
