using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Security;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Fleet.Web.Audit;

namespace Fleet.Web.Components.Pages;

/// <summary>
/// One job: progress, per-host runs and the selected host's output as a tail. Events for this job
/// trigger a throttled refresh that reads the summary and only the runs changed since the last read;
/// output is fetched incrementally and capped, so a 100k-line output never reaches the browser whole.
/// </summary>
public sealed partial class JobInvocation
{
    private const int MaxLines = 5000;
    // Each refresh re-reads the last moments: a change stamped just before a read but committed after it is not missed.
    private static readonly TimeSpan ReadOverlap = TimeSpan.FromSeconds(2);
    private static readonly string StoppedState = InvocationState.Stopped.ToString().ToLowerInvariant();
    private readonly Dictionary<Guid, int> _rowOf = [];
    private DateTimeOffset _changesFrom;
    private InvocationDetail? _detail;
    private bool _loaded;
    private bool _canOperate;
    private bool _grouped;
    private IReadOnlyList<OutputGroup> _groups = [];
    private TargetRunRow? _selected;
    // Once the operator picks a host, the page stops choosing one for them.
    private bool _chosenByOperator;
    private readonly List<OutputLine> _lines = [];
    private long _since;
    private int _dropped;

    [Parameter] public long InvocationId { get; set; }

    [Inject] private IInvocationService Invocations { get; set; } = default!;
    [Inject] private IRolloutService Rollouts { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private List<BreadcrumbItem> Breadcrumbs => [new("Jobs", "/jobs"), new($"#{InvocationId}", null, disabled: true)];

    private double Percent => _detail is not { Summary.Total: > 0 } d ? 0
        : 100.0 * (d.Summary.Succeeded + d.Summary.Failed + d.Summary.Cancelled) / d.Summary.Total;

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null) _canOperate = (await AuthenticationState).User.IsInRole(Roles.Operator);
        await LoadAsync();
        FollowLiveEvents($"job {InvocationId}'s page", e => e.InvocationId == InvocationId, TimeSpan.FromMilliseconds(300), RefreshAsync);
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_detail is not null && _detail.Summary.Id != InvocationId)
        {
            _selected = null;
            _chosenByOperator = false;
            _lines.Clear();
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        var readAt = Clock.GetUtcNow();
        _detail = await Invocations.GetAsync(InvocationId, PageClosed);
        _loaded = true;
        _changesFrom = readAt - ReadOverlap;
        _rowOf.Clear();
        if (_detail is not null)
            for (var i = 0; i < _detail.Targets.Count; i++) _rowOf[_detail.Targets[i].TargetRunId] = i;
        await FollowUpAsync();
    }

    /// <summary>The live refresh: the summary and only the runs changed since the last read, merged into the rows shown.</summary>
    private async Task RefreshAsync()
    {
        if (_detail is null)
        {
            await LoadAsync();
            return;
        }
        var readAt = Clock.GetUtcNow();
        if (await Rollouts.GetJobChangesAsync(InvocationId, _changesFrom, PageClosed) is not { } changes)
        {
            _detail = null;
            return;
        }
        if (changes.State == StoppedState && _detail.State != StoppedState)
        {
            // The job just ended: read every run once more, so the last view never rests on the overlap window
            // having caught a change whose commit came late (a loaded machine, a long write batch).
            await LoadAsync();
            return;
        }
        _changesFrom = readAt - ReadOverlap;
        var targets = _detail.Targets.ToList();
        foreach (var run in changes.Runs)
        {
            if (_rowOf.TryGetValue(run.Row.TargetRunId, out var row)) targets[row] = run.Row;
            else
            {
                // A run added since (seed 004, or a dynamic query resolved at start) goes after the rows shown, in run order.
                _rowOf[run.Row.TargetRunId] = targets.Count;
                targets.Add(run.Row);
            }
        }
        _detail = _detail with
        {
            Summary = changes.Summary, State = changes.State, CancelReason = changes.CancelReason, HaltReason = changes.HaltReason, Targets = targets,
        };
        await FollowUpAsync();
    }

    /// <summary>What follows new rows: the grouped view, and the output of the host worth showing or chosen.</summary>
    private async Task FollowUpAsync()
    {
        if (_grouped) _groups = await Invocations.GroupByOutputAsync(InvocationId, PageClosed);
        if (!_chosenByOperator && OutputWorthShowing(_detail) is { } run && run.HostId != _selected?.HostId) await SelectAsync(run);
        else if (_selected is not null) await LoadOutputAsync();
    }

    /// <summary>Output without hunting: the only host's, or the first failed host's.</summary>
    private static TargetRunRow? OutputWorthShowing(InvocationDetail? detail) =>
        detail is null ? null
        : detail.Targets.Count == 1 ? detail.Targets[0]
        : detail.Targets.FirstOrDefault(t => t.Status is "failure" or "timeout");

    private Task ChooseAsync(TargetRunRow run)
    {
        _chosenByOperator = true;
        return SelectAsync(run);
    }

    private async Task SelectAsync(TargetRunRow run)
    {
        _selected = run;
        _lines.Clear();
        _since = 0;
        _dropped = 0;
        await LoadOutputAsync();
    }

    /// <summary>Fetches only what came after the last line shown, and keeps the last <see cref="MaxLines"/> pieces.</summary>
    private async Task LoadOutputAsync()
    {
        if (_selected is null) return;
        while (true)
        {
            var page = await Invocations.GetOutputAsync(InvocationId, _selected.HostId, _since, 2000, PageClosed);
            _lines.AddRange(page.Lines);
            _since = page.NextSequence;
            if (_lines.Count > MaxLines)
            {
                _dropped += _lines.Count - MaxLines;
                _lines.RemoveRange(0, _lines.Count - MaxLines);
            }
            if (page.Lines.Count < 2000) break;
        }
    }

    private async Task ToggleGroupedAsync(bool grouped)
    {
        _grouped = grouped;
        if (grouped) _groups = await Invocations.GroupByOutputAsync(InvocationId, PageClosed);
    }

    private async Task CancelAsync()
    {
        if (_detail is not { } detail) return;
        var unfinished = detail.Targets
            .Where(t => !StatusRules.TryParseTargetRunStatus(t.Status, out var status) || !status.IsFinal())
            .Select(t => t.Hostname).ToList();
        if (!await Dialogs.ConfirmAsync($"Cancel job #{detail.Summary.Id}?",
                $"Job #{detail.Summary.Id} ({detail.Summary.Description}) is cancelled on the {unfinished.Count} host{(unfinished.Count == 1 ? "" : "s")} not finished yet: " +
                "hosts that have not started are cancelled; running commands are asked to stop.",
                "Cancel job", unfinished, cancelText: "Keep running")) return;
        var user = AuthenticationState is null ? "dashboard" : (await AuthenticationState).User.Identity?.Name ?? "dashboard";
        try
        {
            await Invocations.CancelAsync(InvocationId, force: false, by: user);
            Snackbar.Add("Cancellation requested", Severity.Info);
            await Audit.SucceededAsync("cancel job", $"invocation {InvocationId}");
            await LoadAsync();
        }
        catch (Exception error) when (error is DomainException or InvocationNotFoundException)
        {
            Snackbar.Add(error.Message, Severity.Error);
            await Audit.FailedAsync("cancel job", $"invocation {InvocationId}", error.Message);
        }
    }

    private async Task RerunAsync(RerunFilter filter)
    {
        var user = AuthenticationState is null ? "dashboard" : (await AuthenticationState).User.Identity?.Name ?? "dashboard";
        try
        {
            var id = await Invocations.RerunAsync(InvocationId, filter, user);
            await Audit.SucceededAsync("rerun job", $"invocation {InvocationId} ({filter}) → invocation {id}");
            Navigation.NavigateTo($"/jobs/{id}");
        }
        catch (Exception error) when (error is DomainException or InvocationNotFoundException)
        {
            Snackbar.Add(error.Message, Severity.Error);
            await Audit.FailedAsync("rerun job", $"invocation {InvocationId} ({filter})", error.Message);
        }
    }

    private static string Duration(TargetRunRow run) => TimeText.Duration(run.StartedAt, run.EndedAt, DateTimeOffset.UtcNow);
}
