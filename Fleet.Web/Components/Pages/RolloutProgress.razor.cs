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
/// Live target-run progress of one job: a bar per wave, the counts, and every target run in a virtualised
/// table. Events for this job trigger a throttled refresh that reads the wave tallies and only the runs
/// changed since the last refresh, so thousands of hosts finishing at once cost one small query per tick.
/// </summary>
public sealed partial class RolloutProgress
{
    private static readonly string[] Statuses = Enum.GetValues<TargetRunStatus>().Select(s => s.Wire()).ToArray();
    private readonly Dictionary<Guid, RunRow> _byId = [];
    private RolloutView? _view;
    private List<RunRow> _runs = [];
    private List<RunRow> _shown = [];
    private DateTimeOffset? _seenUntil;
    private bool _loaded;
    private bool _canOperate;
    private string _search = "";
    private string? _status;
    private int? _wave;
    private Guid? _selectedId;
    private RunTimeline? _timeline;

    [Parameter] public long InvocationId { get; set; }
    /// <summary>Set by the <c>/stageruns/{id}</c> route: the page shows that stage run's invocation, filtered to its wave.</summary>
    [Parameter] public Guid? StageRunId { get; set; }

    [Inject] private IRolloutService Rollouts { get; set; } = default!;

    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null) _canOperate = (await AuthenticationState).User.IsInRole(Roles.Operator);
        if (StageRunId is { } stageRunId)
        {
            if (await Rollouts.FindStageRunAsync(stageRunId, PageClosed) is not { } stage)
            {
                _loaded = true;
                return;
            }
            (InvocationId, _wave) = (stage.InvocationId, stage.Wave);
        }
        await LoadAsync();
        FollowLiveEvents($"the progress of job {InvocationId}", e => e.InvocationId == InvocationId, TimeSpan.FromMilliseconds(250), LoadAsync);
    }

    private async Task LoadAsync()
    {
        _view = await Rollouts.GetAsync(InvocationId, PageClosed);
        _loaded = true;
        if (_view is null) return;
        // Runs updated at the same instant as the last one seen may have been written after the read: ask from that instant again.
        var changed = await Rollouts.GetRunsAsync(InvocationId, _seenUntil, PageClosed);
        foreach (var run in changed)
        {
            _byId[run.TargetRunId] = run;
            if (_seenUntil is null || run.UpdatedAt > _seenUntil) _seenUntil = run.UpdatedAt;
        }
        if (changed.Count > 0)
        {
            _runs = _byId.Values.OrderBy(r => r.Position).ToList();
            Filter();
        }
        if (_selectedId is { } selected && changed.Any(r => r.TargetRunId == selected)) _timeline = await Rollouts.GetTimelineAsync(selected, PageClosed);
    }

    private void Filter()
    {
        IEnumerable<RunRow> rows = _runs;
        if (!string.IsNullOrWhiteSpace(_search)) rows = rows.Where(r => r.Hostname.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrEmpty(_status)) rows = rows.Where(r => r.Status == _status);
        if (_wave is { } wave) rows = rows.Where(r => r.Wave == wave);
        _shown = rows.ToList();
    }

    private async Task SelectAsync(RunRow row)
    {
        _selectedId = row.TargetRunId;
        _timeline = await Rollouts.GetTimelineAsync(row.TargetRunId, PageClosed);
    }

    private async Task CancelRunAsync(RunRow row)
    {
        if (!await Dialogs.ConfirmAsync($"Cancel the run on {row.Hostname}?",
                $"The target run on {row.Hostname} ends cancelled and its command is never sent.", "Cancel target run", cancelText: "Keep")) return;
        var user = AuthenticationState is null ? "dashboard" : (await AuthenticationState).User.Identity?.Name ?? "dashboard";
        try
        {
            await Rollouts.CancelRunAsync(row.TargetRunId, user, PageClosed);
            await Audit.SucceededAsync("cancel target run", $"target run {row.TargetRunId} on {row.Hostname}");
            await LoadAsync();
        }
        catch (DomainException error)
        {
            Snackbar.Add(error.Message, Severity.Warning);
            await Audit.FailedAsync("cancel target run", $"target run {row.TargetRunId} on {row.Hostname}", error.Message);
        }
    }

    private static double Percent(RunCounts tally) => tally.Total == 0 ? 0 : 100.0 * tally.Finished / tally.Total;

    private static double Buffered(RunCounts tally) => tally.Total == 0 ? 0 : 100.0 * (tally.Finished + tally.Running) / tally.Total;

    private static Color WaveColor(WaveView wave) => wave.State switch
    {
        "running" => Color.Info,
        "completed" => wave.Tally.Failed > 0 ? Color.Error : Color.Success,
        "halted" => Color.Warning,
        _ => Color.Default,
    };

    private static string WaveTime(WaveView wave) => wave.State switch
    {
        "waiting" when wave.StartsAt is { } at => $"starts {TimeText.Absolute(at)}",
        "waiting" => "waits for the previous wave",
        "running" when wave.StartedAt is { } at => $"started {TimeText.Absolute(at)}",
        "halted" => wave.HaltReason ?? "halted",
        _ when wave.EndedAt is { } end => $"ended {TimeText.Absolute(end)}",
        _ => "",
    };
}
