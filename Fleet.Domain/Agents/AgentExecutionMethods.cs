namespace Fleet.Domain.Agents;

/// <summary>Hub method names for running commands (see <see cref="AgentHubMethods"/>).</summary>
public static class AgentExecutionMethods
{
    // server → agent
    public const string RunCommand = "RunCommand";
    public const string CancelCommand = "CancelCommand";

    // agent → server
    public const string CommandStarted = "CommandStarted";
    public const string CommandOutput = "CommandOutput";
    public const string CommandFinished = "CommandFinished";
}
