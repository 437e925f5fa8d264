namespace Fleet.Web.Engine;

public enum FleetEventKind
{
    HostEnrolled,
    HostApproved,
    HostRejected,
    HostOnline,
    HostOffline,
    InventoryUpdated,
    /// <summary>A target run of <see cref="FleetEvent.InvocationId"/> changed status or received output.</summary>
    TargetRunChanged,
    /// <summary>An invocation was created, started, stopped or cancelled.</summary>
    InvocationChanged,
    /// <summary>The agent reported a new set or state of the host's child hosts.</summary>
    ChildHostsChanged,
    /// <summary>An orchestrated reboot of the host moved on (<see cref="FleetEvent.OrchestrationId"/>).</summary>
    OrchestrationChanged,
    /// <summary>An agent without the host's secret asked for its identity; an operator must decide.</summary>
    ReenrolmentRequested,
    /// <summary>An operator decided on a re-enrolment request, or the approved requester took over the identity.</summary>
    HostReenrolled,
    /// <summary>An operator revoked the host's secret; its agent was refused.</summary>
    HostRevoked,
    /// <summary>Two agents presented the host's machine id at once (cloned VM image).</summary>
    HostDuplicate,
}

/// <param name="HostId">The host concerned, or Guid.Empty for invocation-wide events.</param>
/// <param name="At">When the change was stamped. For an event with an <paramref name="InvocationId"/>, no later than the
/// <c>UpdatedAt</c> of any target run the change wrote: the live publisher reads an invocation's changed runs from the earliest
/// such time instead of re-reading a fixed overlap.</param>
public sealed record FleetEvent(FleetEventKind Kind, Guid HostId, DateTimeOffset At, long? InvocationId = null, Guid? OrchestrationId = null);

/// <summary>
/// The one in-process stream every state change is published on. Subscribers receive batches
/// (everything that happened since their last read), so a slow page never backs up the writers.
/// </summary>
public interface IFleetEvents
{
    void Publish(FleetEvent fleetEvent);
    IAsyncEnumerable<IReadOnlyList<FleetEvent>> SubscribeAsync(CancellationToken ct);
}
