using System.Text.Json;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Web.Engine.Orchestration;

/// <summary>The engine specs of power and child-host actions: one place for seed 001's reboot/shutdown and the orchestration's steps.</summary>
public static class PowerActions
{
    public static InvocationSpec Power(CommandKind kind, Guid hostId, int delaySeconds, string? message, bool force, InvocationOrigin origin = InvocationOrigin.Power) => new()
    {
        JobCategory = "Power",
        Description = kind == CommandKind.Reboot ? "Reboot" : "Shut down",
        TemplateName = kind == CommandKind.Reboot ? "Power Action - Reboot" : "Power Action - Shutdown",
        Origin = origin,
        CommandKind = kind,
        Script = JsonSerializer.Serialize(new { delay_seconds = delaySeconds, message, force }),
        HostIds = [hostId],
        TimeToPickupSeconds = 60,
        ExecutionTimeoutSeconds = 300,
    };

    /// <param name="stopTimeoutSeconds">How long the engine may take to stop the child gracefully.</param>
    public static InvocationSpec Child(bool stop, Guid parentHostId, string name, string type, int stopTimeoutSeconds) => new()
    {
        JobCategory = "Orchestrated reboot",
        Description = $"{(stop ? "Stop" : "Start")} {type} child host {name}",
        TemplateName = stop ? "Child Host - Stop" : "Child Host - Start",
        Origin = InvocationOrigin.Orchestration,
        CommandKind = stop ? CommandKind.ChildStop : CommandKind.ChildStart,
        Script = JsonSerializer.Serialize(new ChildHostAction(name, type, stopTimeoutSeconds), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }),
        HostIds = [parentHostId],
        TimeToPickupSeconds = 60,
        ExecutionTimeoutSeconds = stop ? stopTimeoutSeconds + 30 : 300,
    };
}
