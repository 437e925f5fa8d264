namespace Fleet.Domain.Agents;

/// <summary>Hub method names for child hosts (see <see cref="AgentHubMethods"/>).</summary>
public static class AgentChildHostMethods
{
    // agent → server
    public const string ReportChildHosts = "ReportChildHosts";
}

/// <param name="Type">lxd, docker, sandbox, ...</param>
/// <param name="Status">running, stopped, or the provider's own word for another state.</param>
public sealed record ChildHostInfo(string Name, string Type, string Status);

/// <summary>Agent → server: every child host the agent's providers found, replacing the previous report.</summary>
/// <param name="UnavailableTypes">Engines installed but not answering now (daemon down): their children are unknown, not gone.</param>
public sealed record ChildHostReport(bool HasContainerEngine, IReadOnlyList<ChildHostInfo> Children, IReadOnlyList<string>? UnavailableTypes = null);

/// <summary>The script of a <see cref="Execution.CommandKind.ChildStop"/> / <see cref="Execution.CommandKind.ChildStart"/> command, as JSON.</summary>
public sealed record ChildHostAction(string Name, string Type, int TimeoutSeconds);
