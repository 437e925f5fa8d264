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

    public TimeSpan OfflineAfter => TimeSpan.FromSeconds(HeartbeatSeconds * Math.Max(2, MissedHeartbeatsBeforeOffline));
}
