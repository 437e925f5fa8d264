namespace Fleet.Web.Engine;

public enum FleetEventKind
{
    HostEnrolled,
    HostApproved,
    HostRejected,
    HostOnline,
    HostOffline,
    InventoryUpdated,
}

public sealed record FleetEvent(FleetEventKind Kind, Guid HostId, DateTimeOffset At);

/// <summary>
/// The one in-process stream every state change is published on. Subscribers receive batches
/// (everything that happened since their last read), so a slow page never backs up the writers.
/// </summary>
public interface IFleetEvents
{
    void Publish(FleetEvent fleetEvent);
    IAsyncEnumerable<IReadOnlyList<FleetEvent>> SubscribeAsync(CancellationToken ct);
}
