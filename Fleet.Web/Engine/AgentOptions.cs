namespace Fleet.Web.Engine;

/// <summary>Configuration section <c>Fleet:Agents</c>.</summary>
public sealed class AgentOptions
{
    public string EnrollmentToken { get; set; } = "";
    public bool AutoApprove { get; set; }
    public int HeartbeatSeconds { get; set; } = 30;
    /// <summary>Missed heartbeats after which a host counts as offline even if its connection looks open.</summary>
    public int MissedHeartbeatsBeforeOffline { get; set; } = 3;
    public int InventoryRefreshHours { get; set; } = 6;
    /// <summary>A host offline this long has lost its agent: its running target runs fail with "agent lost".</summary>
    public int LostAfterSeconds { get; set; } = 90;
    /// <summary>A connection that has not said hello by then is dropped.</summary>
    public double HelloTimeoutSeconds { get; set; } = 10;
    /// <summary>Largest message a connection may send before it is accepted (hello is small; inventory comes after).</summary>
    public int PreHelloMaxMessageBytes { get; set; } = 64 * 1024;

    public TimeSpan OfflineAfter => TimeSpan.FromSeconds(HeartbeatSeconds * Math.Max(2, MissedHeartbeatsBeforeOffline));
}
