using Fleet.Domain.AgentMaintenance;
using Fleet.Web.Engine.AgentMaintenance;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Controls;

/// <summary>
/// The agent maintenance tasks, newest first, one row per instance: what was done, where, how it ended, the version
/// before and after; filtered by type and status, paged. Operators roll back a succeeded update or retry a failed task.
/// </summary>
public sealed partial class AgentInvocationsTable
{
    private static readonly int[] PageSizes = [10, 25, 50, 100];

    /// <summary>SET_REMOTE_INSTALL_HOST designates a host and leaves no task, so it is not offered as a filter.</summary>
    private static readonly AgentInvocationType[] ListedTypes =
        [AgentInvocationType.Install, AgentInvocationType.Update, AgentInvocationType.Rollback, AgentInvocationType.RemoteInstall];

    private MudTable<AgentInvocationView>? _table;
    private AgentInvocationType? _type;
    private AgentInvocationStatus? _status;
    private IReadOnlyList<AgentInvocationView> _shown = [];

    [Inject] private IAgentMaintenance Maintenance { get; set; } = default!;

    [Parameter] public bool CanOperate { get; set; }

    [Parameter] public EventCallback<AgentInvocationView> RollBack { get; set; }

    [Parameter] public EventCallback<AgentInvocationView> Retry { get; set; }

    public Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    /// <summary>A row on screen is still waiting or running.</summary>
    public bool HasUnfinished => _shown.Any(t => t.Status is AgentInvocationStatus.Waiting or AgentInvocationStatus.Running);

    public static bool CanRollBack(AgentInvocationView task) =>
        task is { Type: AgentInvocationType.Update, Status: AgentInvocationStatus.Succeeded };

    public static bool CanRetry(AgentInvocationView task) =>
        task.Status is AgentInvocationStatus.Failed or AgentInvocationStatus.Timeout;

    public static Color ColorOf(AgentInvocationStatus status) => status switch
    {
        AgentInvocationStatus.Succeeded => Color.Success,
        AgentInvocationStatus.Running => Color.Info,
        AgentInvocationStatus.Waiting => Color.Warning,
        AgentInvocationStatus.Failed or AgentInvocationStatus.Timeout => Color.Error,
        _ => Color.Default,
    };

    /// <summary>"1.0.0 → 1.1.0" once done; "1.0.0 → 1.1.0?" while the target is only intended.</summary>
    public static string VersionsText(AgentInvocationView task)
    {
        var before = task.VersionBefore ?? "none";
        if (task.VersionAfter is { } after) return $"{before} → {after}";
        return task.TargetVersion is { } target ? $"{before} → {target}?" : before;
    }

    /// <summary>A host instance, or an install's new host once it enrolled, has a page to link to.</summary>
    private static Guid? InstanceHostId(AgentInvocationView task) =>
        task.EnrolledHostId ?? (task.InstanceType == InstanceKind.Host.Word() && Guid.TryParse(task.InstanceId, out var id) ? id : null);

    private async Task<TableData<AgentInvocationView>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await Maintenance.ListAsync(new AgentInvocationFilter(
            InvocationType: _type,
            Status: _status,
            Offset: state.Page * state.PageSize,
            Limit: state.PageSize), ct);
        _shown = page.Items;
        return new TableData<AgentInvocationView> { Items = page.Items, TotalItems = page.Count };
    }

    private Task OnTypeChangedAsync(AgentInvocationType? type)
    {
        _type = type;
        return ReloadFromFirstPageAsync();
    }

    private Task OnStatusChangedAsync(AgentInvocationStatus? status)
    {
        _status = status;
        return ReloadFromFirstPageAsync();
    }

    private async Task ReloadFromFirstPageAsync()
    {
        if (_table is null) return;
        if (_table.CurrentPage > 0)
        {
            _table.NavigateTo(0);
            return;
        }
        await _table.ReloadServerData();
    }
}
