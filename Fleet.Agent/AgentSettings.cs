namespace Fleet.Agent;

/// <summary>Agent configuration: command line (<c>--server</c>, ...), <c>appsettings.json</c> or environment (<c>FLEET_AGENT_SERVER</c>, ...).</summary>
public sealed class AgentSettings
{
    /// <summary>One server address, or several separated by commas (instances of one cluster): the agent fails over between them.</summary>
    public string Server { get; set; } = "http://localhost:5000";
    public string? EnrollmentToken { get; set; }
    public string StateDir { get; set; } = "/var/lib/fleet-agent";
    /// <summary>Overrides /etc/machine-id; lets several agents share one machine in tests.</summary>
    public string? MachineId { get; set; }
    public string? Hostname { get; set; }
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// A directory searched before PATH for the tools scripts call (systemctl, apt-get, dnf): the sandbox tool provider
    /// of tests and labs, as the sandbox power provider is for reboots. Unset on real hosts.
    /// </summary>
    public string? ToolPath { get; set; }
}
