using Fleet.Agent.Children;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Agent.Maintenance;

/// <summary>
/// INSTALL (seed 003) of a child host, run by its parent's agent: the package and install.sh go into a private temporary
/// folder inside the child through the child's engine (<c>docker cp</c> / <c>lxc file push</c>), the script runs there as
/// the child's root (<c>docker exec</c> / <c>lxc exec</c>), and its output is streamed with the enrolment token masked.
/// </summary>
public sealed class ChildAgentInstallAction(ChildHostCatalog children) : IMaintenanceAction
{
    public CommandKind Kind => CommandKind.ChildAgentInstall;

    public async Task<MaintenanceOutcome?> RunAsync(string order, MaintenanceContext context, CancellationToken ct)
    {
        var child = AgentMaintenanceJson.Read<ChildAgentInstallOrder>(order);
        var mask = new SecretMask(child.Install.EnrollmentToken);
        async Task Say(string line) => await context.Say(mask.Apply(line));
        var where = $"{child.ChildType} child '{child.ChildName}'";

        IChildHostProvider provider;
        try
        {
            provider = children.ProviderFor(child.ChildType);
        }
        catch (InvalidOperationException e)
        {
            return MaintenanceOutcome.Failed(e.Message);
        }

        using var staged = await StagedInstall.TryDownloadAsync(child.Package, context, ct);
        if (staged.Failure is not null) return MaintenanceOutcome.Failed(staged.Failure);
        var folder = provider.PathInChild(child.ChildName, $"/tmp/fleet-install-{context.CommandId:N}");
        try
        {
            var made = await provider.ExecAsync(child.ChildName, ["mkdir", "-p", "-m", "700", folder], Say, ct);
            if (made != 0) return MaintenanceOutcome.Failed($"Could not make a temporary folder in {where} (exit code {made}).", made);
            await Say($"Copying the package and install.sh into {where}");
            await provider.CopyInAsync(child.ChildName, staged.PackageFile, folder + "/" + InstallScriptCommand.PackageName, ct);
            await provider.CopyInAsync(child.ChildName, staged.ScriptFile, folder + "/" + InstallScriptCommand.ScriptName, ct);

            // A child whose files live in a folder of this machine (the sandbox) gets its prefix spelled out, or the script
            // would install into this machine's own default prefix.
            var prefix = child.Install.Prefix ?? AgentPackagePaths.DefaultPrefix;
            var mappedPrefix = provider.PathInChild(child.ChildName, prefix);
            var arguments = InstallScriptCommand.Arguments(folder, child.Package, child.Install, context.Server,
                child.Install.Prefix is not null || mappedPrefix != prefix ? mappedPrefix : null);
            await Say($"Running install.sh in {where}");
            string? lastLine = null;
            var exitCode = await provider.ExecAsync(child.ChildName, arguments, async line =>
            {
                if (line.Length == 0) return;
                lastLine = line;
                await Say(line);
            }, ct);
            if (exitCode == 0)
            {
                await Say($"install.sh finished in {where}; the new agent enrols by itself");
                return MaintenanceOutcome.Succeeded;
            }
            return MaintenanceOutcome.Failed(mask.Apply($"install.sh failed with exit code {exitCode} in {where}{(lastLine is null ? "." : ": " + lastLine)}"), exitCode);
        }
        catch (InvalidOperationException e)
        {
            return MaintenanceOutcome.Failed(mask.Apply(e.Message));
        }
        finally
        {
            await RemoveFolderAsync(provider, child.ChildName, folder);
        }
    }

    /// <summary>Best effort, after a failure or a timeout too: the package must not stay in the child.</summary>
    private static async Task RemoveFolderAsync(IChildHostProvider provider, string name, string folder)
    {
        try
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await provider.ExecAsync(name, ["rm", "-rf", folder], _ => Task.CompletedTask, cleanup.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
    }
}
