namespace Fleet.Web.Engine;

/// <summary><c>Fleet:LocalAgent</c>: the agent the server runs for its own machine.</summary>
public sealed class LocalAgentOptions
{
    public const string Section = "Fleet:LocalAgent";

    /// <summary>Enrol the server's own machine at start, so a newcomer sees a real host. Tests turn it off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the local agent keeps its identity and command journal.</summary>
    public string StateDir { get; set; } = Path.Combine("data", "local-agent");
}
