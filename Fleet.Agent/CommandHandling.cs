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
/// <c>exit</c> in the script) and a line of output, without starting a process. Each id runs once: a
/// repeat (the server re-sends after a reconnect or its own restart) waits for the first run's result,
/// even while that run is still going, and reports it again.
/// </summary>
public sealed class SimulatedCommandHandler(ICommandReporter reporter, int seed, TimeSpan maxLatency, SimulationTally? tally = null) : ICommandHandler
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<Guid, Task<CommandResultMessage>> _runs = [];

    public async Task HandleAsync(CommandRequest request)
    {
        Task<CommandResultMessage>? run;
        lock (_runs)
        {
            if (!_runs.TryGetValue(request.CommandId, out run))
            {
                run = Task.Run(() => RunAsync(request));
                _runs[request.CommandId] = run;
            }
        }
        await reporter.FinishedAsync(await run);
    }

    /// <summary>Answered as a real agent answers a short command: one result that carries its output (no separate started or output message).</summary>
    private async Task<CommandResultMessage> RunAsync(CommandRequest request)
    {
        tally?.Executed(request.CommandId);
        var started = DateTimeOffset.UtcNow;
        int latency;
        lock (_random) latency = _random.Next(0, (int)Math.Max(1, maxLatency.TotalMilliseconds));
        await Task.Delay(latency);
        var exitCode = ExitCodeOf(request.Script);
        var finished = DateTimeOffset.UtcNow;
        return new CommandResultMessage(request.CommandId, exitCode == 0 ? CommandStatus.Success : CommandStatus.Failure, exitCode, null, started, finished,
            [new OutputChunkMessage(1, OutputStream.Stdout, $"simulated: {request.Script}\n", finished)]);
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

/// <summary>How often each command id was executed across a simulated fleet: crash tests prove none ran twice.</summary>
public sealed class SimulationTally
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> _executions = new();
    private int _total;

    public int Executions => Volatile.Read(ref _total);

    public int Distinct => _executions.Count;

    public void Executed(Guid commandId)
    {
        _executions.AddOrUpdate(commandId, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }
}

/// <summary>
/// <c>simulate --exec</c>: each virtual agent runs commands for real, through the agent's own <see cref="CommandExecutor"/>
/// (interpreter, environment, journal, output, timeout) in a state folder of its own. Processes are bounded across the whole
/// simulated fleet by the executors' shared process slots, so hundreds of agents do not fork hundreds of processes at once;
/// a slot is held while a process runs, not while its result travels, as each real host's agent would not wait for another's.
/// </summary>
public sealed class ExecutingCommandHandler(CommandExecutor executor) : ICommandHandler
{
    public Task HandleAsync(CommandRequest request) => executor.HandleAsync(request);

    public Task CancelAsync(Guid commandId) => executor.CancelAsync(commandId);

    public Task ReplayUnacknowledgedAsync() => executor.ReplayUnacknowledgedAsync();
}

/// <summary>Virtual agents have no machine to reboot: a power command fails with this reason.</summary>
public sealed class RefusingPowerProvider : IPowerProvider
{
    public Task RequestAsync(PowerAction action, TimeSpan delay, string? message, bool force) =>
        throw new InvalidOperationException($"A simulated agent does not {action.ToString().ToLowerInvariant()}.");
}
