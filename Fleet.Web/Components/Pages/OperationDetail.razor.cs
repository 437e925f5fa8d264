using Fleet.Domain.Operations;
using Fleet.Web.Engine.Operations;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

/// <summary>One headless operation: its settings, each device's progress and result, retry attempts and notification deliveries, live.</summary>
public sealed partial class OperationDetail
{
    private const int MaxDeliveries = 50;

    private OperationSummary? _summary;
    private IReadOnlyList<OperationDeviceRow> _devices = [];
    private IReadOnlyList<DeliveryRow> _deliveries = [];
    private bool _loaded;

    [Parameter] public long Id { get; set; }

    [Inject] private IHeadlessOperations HeadlessOperations { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync();
        _loaded = true;
        // Any invocation change may be this operation's next attempt or occurrence; a reload is one operation's rows only.
        FollowLiveEvents("an operation's page", e => e.InvocationId is not null, TimeSpan.FromMilliseconds(500), LoadAsync);
    }

    private async Task LoadAsync()
    {
        _summary = await HeadlessOperations.GetAsync(Id, PageClosed);
        if (_summary is null) return;
        _devices = (await HeadlessOperations.ListAsync(new OperationListQuery(Id, HeadlessOperationService.MaxDevices, 0), PageClosed)).Items;
        _deliveries = await HeadlessOperations.RecentDeliveriesAsync(MaxDeliveries, Id, PageClosed);
    }

    public static string ScheduleText(OperationSchedule schedule) => schedule.Type switch
    {
        ScheduleType.Once => $"once at {Utils.TimeText.Absolute(schedule.ScheduledAt!.Value)}",
        ScheduleType.Recurring => $"recurring: {schedule.Cron} ({schedule.Zone})",
        _ => "immediately",
    };

    public static string RetryText(RetryPolicy retry) =>
        retry.MaxAttempts <= 1 ? "none" : $"up to {retry.MaxAttempts} attempts, {retry.RetryDelayMinutes} min apart";

    public static string NotificationText(NotificationSettings notification)
    {
        var when = (notification.OnCompletion, notification.OnFailure) switch
        {
            (true, true) => "on completion and on failure",
            (true, false) => "on completion",
            (false, true) => "on failure",
            _ => null,
        };
        var where = new[] { notification.Email, notification.WebhookUrl is { } url ? $"webhook {url}" : null }.OfType<string>().ToList();
        return when is null || where.Count == 0 ? "none" : $"{when}: {string.Join(", ", where)}";
    }

    private static Color CheckColor(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Pass => Color.Success,
        CheckOutcome.Warn => Color.Warning,
        _ => Color.Error,
    };
}
