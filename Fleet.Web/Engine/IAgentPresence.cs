namespace Fleet.Web.Engine;

/// <summary>
/// Whether a host's agent is connected anywhere in the cluster, since when, with which boot id, and which SignalR connection
/// holds it. One instance alone: its own <see cref="AgentRegistry"/>. With Redis: this instance's registry plus a mirror of
/// what the other live instances hold (<see cref="Cluster.ClusterPresence"/>). Connection-specific steps (waiting for approval,
/// confirming a secret, re-enrolment, aborting a connection) stay with the registry of the instance that holds the connection.
/// </summary>
public interface IAgentPresence
{
    bool IsConnected(Guid hostId);

    /// <summary>When the host's current connection was accepted; null when it has none.</summary>
    DateTimeOffset? ConnectedSince(Guid hostId);

    /// <summary>The boot id the host's agent sent with its last accepted hello (null if it sent none).</summary>
    string? BootIdOf(Guid hostId);

    /// <summary>The connection id of the host's agent, here or on another instance (reached through the SignalR backplane).</summary>
    string? ConnectionOf(Guid hostId);

    /// <summary>Closes the host's agent connection wherever it is held (the holder aborts it).</summary>
    void Abort(Guid hostId);
}
