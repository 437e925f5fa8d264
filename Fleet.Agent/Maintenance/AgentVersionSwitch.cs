using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Agent.Maintenance;

/// <summary>
/// AgentUpdate: downloads the package (hash checked), stages it beside the running version and hands the switch to the
/// launcher, which starts it and rolls back by itself if it does not come up. The outcome is journalled by whichever
/// version runs next (see <see cref="LauncherHandover"/>), so this returns null: nothing is reported from this process.
/// </summary>
public sealed class AgentUpdateAction(LauncherLayout? layout) : IMaintenanceAction
{
    public const string NotInstalledByScript = "this agent was not installed by install.sh, so it cannot update itself";
    public const int DefaultHealthDeadlineSeconds = 120;

    public CommandKind Kind => CommandKind.AgentUpdate;

    public async Task<MaintenanceOutcome?> RunAsync(string order, MaintenanceContext context, CancellationToken ct)
    {
        var update = AgentMaintenanceJson.Read<AgentUpdateOrder>(order);
        var package = update.Package;
        if (package is null || !AgentPackageVersions.IsValid(package.Version) || string.IsNullOrWhiteSpace(package.Sha256))
            return MaintenanceOutcome.Failed("The update names no valid package version and SHA-256.");
        if (layout is null) return MaintenanceOutcome.Failed(NotInstalledByScript);
        if (package.Version == layout.CurrentVersion)
        {
            await context.Say($"This agent already runs version {package.Version}; nothing to do.");
            return MaintenanceOutcome.Succeeded;
        }

        var executable = layout.ExecutableOf(package.Version);
        if (File.Exists(executable) && string.Equals(await AgentPackageDownloader.Sha256Async(executable, ct), package.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            await context.Say($"Version {package.Version} is already staged in {layout.FolderOf(package.Version)} (SHA-256 checked).");
        }
        else
        {
            await context.Say($"Downloading agent {package.Version} ({package.SizeBytes} bytes) from {context.Server}...");
            Directory.CreateDirectory(layout.FolderOf(package.Version));
            try
            {
                await context.Downloader.DownloadPackageAsync(context.Server, package, executable, ct);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
            {
                return MaintenanceOutcome.Failed($"Could not download agent {package.Version}: {e.Message}");
            }
            await context.Say($"Staged version {package.Version} in {layout.FolderOf(package.Version)}; SHA-256 {package.Sha256} checked.");
        }
        return await HandOverAsync(layout, new HandoverRequest("update", package.Version, layout.CurrentVersion, context.CommandId,
            DeadlineOf(update.HealthDeadlineSeconds)), context);
    }

    internal static int DeadlineOf(int requested) => requested > 0 ? requested : DefaultHealthDeadlineSeconds;

    internal static async Task<MaintenanceOutcome?> HandOverAsync(LauncherLayout layout, HandoverRequest request, MaintenanceContext context)
    {
        layout.WriteRequest(request);
        await context.Say($"Restarting into version {request.To}. The launcher switches back to {request.From} by itself if {request.To} " +
                          $"is not accepted by the server within {request.DeadlineSeconds} s.");
        return null;
    }
}

/// <summary>AgentRollback: hands the launcher a switch back to a version still installed on this host (the launcher keeps three).</summary>
public sealed class AgentRollbackAction(LauncherLayout? layout) : IMaintenanceAction
{
    public const string NotInstalledByScript = "this agent was not installed by install.sh, so it cannot roll itself back";

    public CommandKind Kind => CommandKind.AgentRollback;

    public async Task<MaintenanceOutcome?> RunAsync(string order, MaintenanceContext context, CancellationToken ct)
    {
        var rollback = AgentMaintenanceJson.Read<AgentRollbackOrder>(order);
        if (!AgentPackageVersions.IsValid(rollback.Version)) return MaintenanceOutcome.Failed("The rollback names no valid version.");
        if (layout is null) return MaintenanceOutcome.Failed(NotInstalledByScript);
        if (rollback.Version == layout.CurrentVersion)
        {
            await context.Say($"This agent already runs version {rollback.Version}; nothing to do.");
            return MaintenanceOutcome.Succeeded;
        }
        if (!File.Exists(layout.ExecutableOf(rollback.Version)))
            return MaintenanceOutcome.Failed($"Version {rollback.Version} is no longer installed on this host (the launcher keeps the current, " +
                                             "the previous and one more version), so the agent cannot roll back to it.");
        await context.Say($"Version {rollback.Version} is installed in {layout.FolderOf(rollback.Version)}.");
        return await AgentUpdateAction.HandOverAsync(layout, new HandoverRequest("rollback", rollback.Version, layout.CurrentVersion,
            context.CommandId, AgentUpdateAction.DeadlineOf(rollback.HealthDeadlineSeconds)), context);
    }
}
