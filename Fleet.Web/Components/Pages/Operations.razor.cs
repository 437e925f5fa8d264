using Fleet.Domain.Operations;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

/// <summary>Headless operations, one row per device, refreshed (throttled) as their runs change.</summary>
public sealed partial class Operations
{
    private const int MaxDeliveries = 20;

    private MudTable<OperationDeviceRow>? _table;
    private IReadOnlyList<DeliveryRow> _deliveries = [];

    [Inject] private IHeadlessOperations HeadlessOperations { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _deliveries = await HeadlessOperations.RecentDeliveriesAsync(MaxDeliveries, PageClosed);
        FollowLiveEvents("the operations page", e => e.InvocationId is not null, TimeSpan.FromMilliseconds(500), RefreshAsync);
    }

    /// <summary>Deliveries follow the same refreshes as the table: a notification is sent when an occurrence ends.</summary>
    private async Task RefreshAsync()
    {
        _deliveries = await HeadlessOperations.RecentDeliveriesAsync(MaxDeliveries, PageClosed);
        if (_table is not null) await _table.ReloadServerData();
    }

    private async Task<TableData<OperationDeviceRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await HeadlessOperations.ListAsync(new OperationListQuery(null, state.PageSize, state.Page * state.PageSize), ct);
        return new TableData<OperationDeviceRow> { Items = page.Items, TotalItems = page.Total };
    }

    /// <summary>A health check's verdict with its counts; other types say how the run ended.</summary>
    public static string ResultText(OperationDeviceRow row)
    {
        if (!row.Status.Finished) return "";
        var output = row.Output;
        if (row.Type == OperationType.HealthCheck && output.Checks.Count > 0)
            return $"{output.HealthStatus} · {output.Passed} passed, {output.Failed} failed, {output.Warnings} warnings";
        return row.Status.Status == "completed" ? row.Status.Outcome : row.Reason ?? row.Status.Outcome;
    }

}
