using Fleet.Agent.Children;

namespace Fleet.Agent.Maintenance;

/// <summary>The maintenance actions a real agent offers.</summary>
public static class MaintenanceActions
{
    public static IReadOnlyList<IMaintenanceAction> For(AgentSettings settings, ChildHostCatalog children)
    {
        var layout = LauncherLayout.OfThisProcess();
        return [new AgentUpdateAction(layout), new AgentRollbackAction(layout), new ChildAgentInstallAction(children), new RemoteAgentInstallAction()];
    }
}
