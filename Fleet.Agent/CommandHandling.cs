using Fleet.Agent.Execution;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Agent;

/// <summary>What an agent does with the commands the server sends: the real executor, or a simulation.</summary>
public interface ICommandHandler
{
    Task HandleAsync(CommandRequest request);
    Task CancelAsync(Guid commandId);
    /// <summary>Reports again every finished command the server has not acknowledged (after a reconnect).</summary>
    Task ReplayUnacknowledgedAsync();
}

/// <summary>Runs commands for real (processes, journal, power provider).</summary>
public sealed class ExecutorCommandHandler(CommandExecutor executor) : ICommandHandler
{
    public Task HandleAsync(CommandRequest request) => executor.HandleAsync(request);
    public Task CancelAsync(Guid commandId) => executor.CancelAsync(commandId);
    public Task ReplayUnacknowledgedAsync() => executor.ReplayUnacknowledgedAsync();
}

/// <summary>
/// Scripted answers for load tests: a seeded latency, then exit code 0 (or the number after
/// <c>exit</c> in the script) and a line of output, without starting a process. Ids are answered once.
/// </summary>
public sealed class SimulatedCommandHandler(ICommandReporter reporter, int seed, TimeSpan maxLatency) : ICommandHandler
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<Guid, CommandResultMessage> _done = [];

    public async Task HandleAsync(CommandRequest request)
    {
        CommandResultMessage? previous;
        lock (_done) _done.TryGetValue(request.CommandId, out previous);
        if (previous is not null)
        {
            await reporter.FinishedAsync(previous);
            return;
        }
        var started = DateTimeOffset.UtcNow;
        await reporter.StartedAsync(request.CommandId);
        int latency;
        lock (_random) latency = _random.Next(0, (int)Math.Max(1, maxLatency.TotalMilliseconds));
        await Task.Delay(latency);
        var exitCode = ExitCodeOf(request.Script);
        await reporter.OutputAsync(new CommandOutputBatch(request.CommandId, [new OutputChunkMessage(1, OutputStream.Stdout, $"simulated: {request.Script}\n", DateTimeOffset.UtcNow)]));
        var result = new CommandResultMessage(request.CommandId, exitCode == 0 ? CommandStatus.Success : CommandStatus.Failure, exitCode, null, started, DateTimeOffset.UtcNow);
        lock (_done) _done[request.CommandId] = result;
        await reporter.FinishedAsync(result);
    }

    public Task CancelAsync(Guid commandId) => Task.CompletedTask;

    /// <summary>Simulated agents keep nothing across a reconnect; the server re-sends what it still waits for.</summary>
    public Task ReplayUnacknowledgedAsync() => Task.CompletedTask;

    private static int ExitCodeOf(string script)
    {
        var trimmed = script.Trim();
        return trimmed.StartsWith("exit ", StringComparison.Ordinal) && int.TryParse(trimmed[5..].Trim(), out var code) ? code : trimmed == "false" ? 1 : 0;
    }
}
