using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Web.Engine.AgentMaintenance;

/// <summary>The engine jobs of agent maintenance: one place that says how each step runs, so it shows in seed 002/004 like any job.</summary>
public static class MaintenanceSpecs
{
    /// <summary>How long the updated agent has to come back and be accepted before its launcher rolls back.</summary>
    public const int HealthDeadlineSeconds = 120;
    /// <summary>A masked value in the order shown to people; the runnable order is sealed.</summary>
    public const string Masked = "*****";

    private const string Category = "Agent maintenance";

    public static InvocationSpec Update(AgentUpdateOrder order, IReadOnlyList<Guid> hostIds, string? waves, string? failureThreshold) => new()
    {
        JobCategory = Category,
        Description = $"Update the Fleet agent to {order.Package.Version}",
        TemplateName = "Agent Maintenance - Update",
        Origin = InvocationOrigin.AgentMaintenance,
        CommandKind = CommandKind.AgentUpdate,
        Script = AgentMaintenanceJson.Write(order),
        HostIds = hostIds,
        Waves = waves,
        FailureThreshold = failureThreshold,
        TimeToPickupSeconds = 300,
        // Download, swap, restart and the health deadline; the new process reports the result.
        ExecutionTimeoutSeconds = 600 + order.HealthDeadlineSeconds,
    };

    public static InvocationSpec Rollback(AgentRollbackOrder order, Guid hostId) => new()
    {
        JobCategory = Category,
        Description = $"Roll the Fleet agent back to {order.Version}",
        TemplateName = "Agent Maintenance - Rollback",
        Origin = InvocationOrigin.AgentMaintenance,
        CommandKind = CommandKind.AgentRollback,
        Script = AgentMaintenanceJson.Write(order),
        HostIds = [hostId],
        TimeToPickupSeconds = 300,
        ExecutionTimeoutSeconds = 300 + order.HealthDeadlineSeconds,
    };

    /// <summary>The order carries the install ticket, so only its masked form is kept in the clear.</summary>
    public static InvocationSpec ChildInstall(ChildAgentInstallOrder order, Guid parentHostId, string sealedOrder) => new()
    {
        JobCategory = Category,
        Description = $"Install the Fleet agent in {order.ChildType} child host {order.ChildName}",
        TemplateName = "Agent Maintenance - Child Install",
        Origin = InvocationOrigin.AgentMaintenance,
        CommandKind = CommandKind.ChildAgentInstall,
        Script = AgentMaintenanceJson.Write(order with { Install = order.Install with { EnrollmentToken = Masked } }),
        SealedScript = sealedOrder,
        HostIds = [parentHostId],
        TimeToPickupSeconds = 300,
        ExecutionTimeoutSeconds = 900,
    };

    /// <summary>The order carries a credential and the install ticket: only a masked form is kept in the clear.</summary>
    public static InvocationSpec RemoteInstall(RemoteAgentInstallOrder order, Guid installerHostId, string sealedOrder) => new()
    {
        JobCategory = Category,
        Description = $"Install the Fleet agent on {order.UserName}@{order.Address}:{order.Port} over SSH",
        TemplateName = "Agent Maintenance - Remote Install",
        Origin = InvocationOrigin.AgentMaintenance,
        CommandKind = CommandKind.RemoteAgentInstall,
        Script = AgentMaintenanceJson.Write(order with
        {
            Password = order.Password is null ? null : Masked,
            Install = order.Install with { EnrollmentToken = Masked },
        }),
        SealedScript = sealedOrder,
        HostIds = [installerHostId],
        TimeToPickupSeconds = 300,
        ExecutionTimeoutSeconds = 900,
    };
}
