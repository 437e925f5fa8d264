using Fleet.Domain.Orchestration;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Orchestration;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

/// <summary>Follows one orchestrated reboot live: the phases with their time stamps, and each child host stopping and starting again.</summary>
public sealed partial class RebootTimeline
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(300);

    private OrchestrationView? _view;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private bool _loading = true;

    [Inject] private IRebootOrchestrations Orchestrations { get; set; } = default!;

    [Parameter] public Guid HostId { get; set; }
    [Parameter] public Guid OrchestrationId { get; set; }

    private sealed record Phase(string Key, string Title, DateTimeOffset? At, string Waiting);

    protected override void OnInitialized() => FollowLiveEvents($"orchestration {OrchestrationId}'s page",
        e => e.OrchestrationId == OrchestrationId || e.Kind == FleetEventKind.ChildHostsChanged && e.HostId == HostId, RefreshInterval, LoadAsync);

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        await LoadAsync();
        _loading = false;
    }

    private async Task LoadAsync()
    {
        _view = await Orchestrations.GetAsync(HostId, OrchestrationId, PageClosed);
        _breadcrumbs =
        [
            new("Fleet status", href: "/"),
            new(_view?.Hostname ?? "Host", href: $"/hosts/{HostId}"),
            new("Orchestrated reboot", href: null, disabled: true),
        ];
    }

    private static IEnumerable<Phase> Phases(OrchestrationView v)
    {
        var waiting = v.Status == OrchestrationStatus.Failed ? "did not happen" : "waiting";
        yield return new("initiated", "Initiated — running children snapshotted", v.InitiatedAt, "");
        yield return new("shutdown", "Child hosts stopped", v.ShutdownCompletedAt, waiting);
        yield return new("reboot", "Reboot issued", v.RebootIssuedAt, waiting);
        yield return new("reconnected", "Agent reconnected", v.AgentReconnectedAt, waiting);
        yield return new("restarted", "Child hosts started again", v.RestartCompletedAt, waiting);
        if (v.Status == OrchestrationStatus.Failed) yield return new("failed", "Failed", v.FailedAt, "");
    }

    private static Color StatusColor(OrchestrationStatus status) => status switch
    {
        OrchestrationStatus.Completed => Color.Success,
        OrchestrationStatus.Failed => Color.Error,
        _ => Color.Info,
    };

    private static Color StepColor(string status) => status switch
    {
        OrchestrationChild.Running or OrchestrationChild.Stopped => Color.Success,
        OrchestrationChild.Failed or OrchestrationChild.StopTimedOut => Color.Error,
        OrchestrationChild.Stopping or OrchestrationChild.Starting => Color.Info,
        _ => Color.Default,
    };
}
