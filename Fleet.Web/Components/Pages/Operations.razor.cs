using Fleet.Domain.Operations;
using Fleet.Web.Audit;
using Fleet.Web.Components.Dialogs;
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
    private OperationType? _typeFilter;
    private OperationState? _stateFilter;
    private string? _deviceFilter;

    [Inject] private IHeadlessOperations HeadlessOperations { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;

    private bool Filtered => _typeFilter is not null || _stateFilter is not null || !string.IsNullOrWhiteSpace(_deviceFilter);

    protected override async Task OnInitializedAsync()
    {
        _deliveries = await HeadlessOperations.RecentDeliveriesAsync(MaxDeliveries, null, PageClosed);
        FollowLiveEvents("the operations page", e => e.InvocationId is not null, TimeSpan.FromMilliseconds(500), RefreshAsync);
    }

    /// <summary>Deliveries follow the same refreshes as the table: a notification is sent when an occurrence ends.</summary>
    private async Task RefreshAsync()
    {
        _deliveries = await HeadlessOperations.RecentDeliveriesAsync(MaxDeliveries, null, PageClosed);
        if (_table is not null) await _table.ReloadServerData();
    }

    private async Task<TableData<OperationDeviceRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await HeadlessOperations.ListAsync(new OperationListQuery(null, state.PageSize, state.Page * state.PageSize, _typeFilter, _stateFilter, _deviceFilter), ct);
        return new TableData<OperationDeviceRow> { Items = page.Items, TotalItems = page.Total };
    }

    private Task OnTypeFilterChanged(OperationType? type)
    {
        _typeFilter = type;
        return ReloadAsync();
    }

    private Task OnStateFilterChanged(OperationState? state)
    {
        _stateFilter = state;
        return ReloadAsync();
    }

    private Task OnDeviceFilterChanged(string? device)
    {
        _deviceFilter = device;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    /// <summary>The create dialog; a created operation opens on its own page, where its devices' progress shows live.</summary>
    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateOperationDialog>("New operation", new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: OperationCreated created }) return;
        await Audit.SucceededAsync("create operation", $"{created.PublicId} ({created.Type.WireName()} on {created.DeviceTargets.Count} devices)");
        Navigation.NavigateTo($"/operations/{created.Id}");
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
