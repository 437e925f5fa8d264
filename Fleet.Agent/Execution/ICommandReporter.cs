using Fleet.Domain.Agents;

namespace Fleet.Agent.Execution;

/// <summary>Where <see cref="CommandExecutor"/> sends what happens to a command; the runner sends it over the hub.</summary>
public interface ICommandReporter
{
    Task StartedAsync(Guid commandId);
    Task OutputAsync(CommandOutputBatch batch);
    Task FinishedAsync(CommandResultMessage result);
}
