using Fleet.Domain.Execution;

namespace Fleet.Agent.Maintenance;

/// <summary>
/// One built-in agent maintenance action (update, roll back, install in a child, install over SSH). The executor journals
/// and reports it like any command; the action only does the work and says how it went.
/// </summary>
public interface IMaintenanceAction
{
    CommandKind Kind { get; }

    /// <param name="order">The command's script: the JSON order of this kind (see <c>AgentMaintenanceJson</c>).</param>
    /// <returns>
    /// How it ended, or null when this process is about to be replaced (an update or rollback handed to the launcher): the next
    /// agent process to start journals the command's result, and the executor reports it from the journal.
    /// </returns>
    Task<MaintenanceOutcome?> RunAsync(string order, MaintenanceContext context, CancellationToken ct);
}

/// <param name="Error">Why it failed, in words an operator can act on; null on success.</param>
public sealed record MaintenanceOutcome(CommandStatus Status, string? Error = null, int? ExitCode = null)
{
    public static MaintenanceOutcome Succeeded { get; } = new(CommandStatus.Success, null, 0);
    public static MaintenanceOutcome Failed(string error, int? exitCode = null) => new(CommandStatus.Failure, error, exitCode);
}

/// <summary>What an action may use: the server it talks to, its state folder, and a way to say what it is doing.</summary>
/// <param name="Server">The server this agent is connected to; package and script paths resolve against it.</param>
/// <param name="Say">Appends a line to the command's output (shown live on the job page).</param>
public sealed record MaintenanceContext(Guid CommandId, Uri Server, string StateDir, Func<string, Task> Say, AgentPackageDownloader Downloader, TimeProvider Clock);
