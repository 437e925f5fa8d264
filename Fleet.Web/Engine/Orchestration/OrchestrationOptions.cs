namespace Fleet.Web.Engine.Orchestration;

/// <summary>Configuration section <c>Fleet:Orchestration</c>.</summary>
public sealed class OrchestrationOptions
{
    /// <summary>How long children get to stop before the parent reboots anyway (seed 001's shutdown_timeout_seconds).</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 120;
    /// <summary>How long after the reboot was issued the parent's agent may take to reconnect before the orchestration fails.</summary>
    public int ReconnectTimeoutSeconds { get; set; } = 900;
    /// <summary>How often running orchestrations are looked at.</summary>
    public int PollMilliseconds { get; set; } = 250;
}
