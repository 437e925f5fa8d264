using Fleet.Domain.Inventory;

namespace Fleet.Domain.Agents;

/// <summary>Names of the AgentHub methods, shared by the server and the agent so neither can drift.</summary>
public static class AgentHubMethods
{
    public const string Path = "/hubs/agent";

    // agent → server
    public const string Hello = "Hello";
    /// <summary>After a hello answered <see cref="HelloOutcome.SecretIssued"/>: the agent sends back the secret it stored.</summary>
    public const string ConfirmSecret = "ConfirmSecret";
    public const string Heartbeat = "Heartbeat";
    public const string ReportInventory = "ReportInventory";

    // server → agent
    public const string CollectInventory = "CollectInventory";
    public const string Approved = "Approved";
    public const string Refused = "Refused";
}

/// <summary>First message on every connection. Carries either the enrolment token (first contact) or the host's secret.</summary>
public sealed record AgentHello(
    string MachineId,
    string Hostname,
    string AgentVersion,
    string? EnrollmentToken,
    Guid? HostId,
    string? Secret,
    string? InventoryHash,
    string? BootId = null);

public enum HelloOutcome
{
    Accepted = 0,
    PendingApproval = 1,
    Refused = 2,
    /// <summary>
    /// The reply carries a new secret. The connection is not accepted yet: the agent must store the secret and send it back
    /// with <see cref="AgentHubMethods.ConfirmSecret"/>; only that call's answer (Accepted) opens the connection for work.
    /// </summary>
    SecretIssued = 3,
}

/// <param name="IssuedSecret">Set once, when the server hands out the host's secret; the agent must store it.</param>
/// <param name="SendInventory">The server's stored inventory differs from the agent's hash (or is missing).</param>
public sealed record HelloResult(
    HelloOutcome Outcome,
    Guid? HostId,
    string? IssuedSecret,
    bool SendInventory,
    int HeartbeatSeconds,
    string? Message);

/// <summary>Sent to a waiting agent when an operator approves its host; the agent then says hello again and receives its secret in the reply.</summary>
public sealed record ApprovalNotice(Guid HostId);

public sealed record InventoryRequest(Guid RequestId, InventorySections Sections);

/// <param name="RequestId">The request this answers, or null when the agent sends on its own (first contact, change).</param>
public sealed record InventoryUpload(Guid? RequestId, InventorySections Sections, string Hash, InventoryReport Report);

/// <summary>Server → agent: run this. A repeated <see cref="CommandId"/> is answered from the agent's record, never run twice.</summary>
public sealed record CommandRequest(Guid CommandId, Execution.CommandKind Kind, string Script, string? EffectiveUser, int TimeoutSeconds);

public enum OutputStream
{
    Stdout = 0,
    Stderr = 1,
    Debug = 2,
}

public sealed record OutputChunkMessage(int Sequence, OutputStream Stream, string Text, DateTimeOffset At);

/// <summary>Agent → server: output of a running command gathered since the last batch (sent at most every ~200 ms per command).</summary>
/// <param name="Replayed">Sent again from the agent's journal after a reconnect: the server skips chunks it already has.</param>
public sealed record CommandOutputBatch(Guid CommandId, IReadOnlyList<OutputChunkMessage> Chunks, bool Replayed = false);

/// <summary>
/// Agent → server: how a command ended. A short command is reported by this message alone: the agent sends no separate
/// "started" or output message for it, and its output travels in <see cref="Output"/>.
/// </summary>
/// <param name="Outcome">success (exit 0), failure, timeout (killed after its timeout) or cancelled.</param>
/// <param name="Output">Output not sent before (all of a short command's, the last of a long one's), in sequence; null or empty when none.</param>
public sealed record CommandResultMessage(Guid CommandId, Execution.CommandStatus Outcome, int? ExitCode, string? Error, DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt, IReadOnlyList<OutputChunkMessage>? Output = null);
