using Fleet.Domain;

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

/// <summary>Configuration section <c>Fleet:Limits</c>.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest request body outside the SignalR hubs (which have their own message limits).</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest script or job template, in UTF-8 bytes.</summary>
    public int MaxScriptBytes { get; set; } = FieldLimits.DefaultMaxScriptBytes;
}
