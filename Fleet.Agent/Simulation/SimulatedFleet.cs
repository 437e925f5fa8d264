using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Agent.Simulation;

/// <summary>
/// N virtual agents in one process, each a real <see cref="AgentRunner"/> with its own connection and
/// seeded inventory: the load tool for every benchmark. Agents start at a steady ramp rather than all at once, spread
/// round-robin over the servers of a comma-separated <c>--server</c> list.
/// </summary>
/// <param name="maxCommandLatency">Each simulated command answers after a seeded delay up to this (default 500 ms).</param>
/// <param name="execProcesses">When set (<c>--exec</c>), commands are not simulated: each agent runs them as real processes, at
/// most this many at once across the fleet, with a journal under a temporary folder removed when the fleet stops.</param>
public sealed class SimulatedFleet(AgentSettings settings, int count, int seed, int rampPerSecond, ILogger logger, TimeSpan? maxCommandLatency = null,
    int? execProcesses = null)
{
    private int _accepted;

    /// <summary>Commands executed by every agent of this fleet, logged each second as "commands executed=N distinct=M".</summary>
    public SimulationTally Commands { get; } = new();

    public int Accepted => Volatile.Read(ref _accepted);

    public async Task RunAsync(CancellationToken ct)
    {
        var runners = new List<Task>(count);
        var agents = new List<AgentRunner>(count);
        var started = DateTimeOffset.UtcNow;
        var progress = ReportProgressAsync(started, ct);
        var perTick = Math.Max(1, rampPerSecond / 10);
        var execRoot = execProcesses is null ? null : Directory.CreateTempSubdirectory("fleet-simulate-exec-");
        // A command's journal write, its fsync and the vfork that starts its process block a pool thread for a moment. One
        // real agent meets a few of them at a time; hundreds of virtual agents sharing one thread pool meet hundreds, and a
        // pool of one thread per core then waits on its starvation rule (a thread added every half second): some 200-host jobs
        // saw their first result only 300-450 ms after the dispatch. Each virtual agent stands for a host with threads of its
        // own, so they get enough here.
        if (execProcesses is { } slots)
        {
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, slots + Environment.ProcessorCount), io);
        }
        using var processes = new SemaphoreSlim(Math.Max(1, execProcesses ?? 1));
        for (var index = 0; index < count && !ct.IsCancellationRequested; index++)
        {
            var source = new SimulatedInventorySource(index, seed);
            var agentSeed = seed * 100_003 + index;
            var stateDir = execRoot is null ? null : Path.Combine(execRoot.FullName, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Func<Execution.ICommandReporter, ICommandHandler> commands = stateDir is null
                ? reporter => new SimulatedCommandHandler(reporter, agentSeed, maxCommandLatency ?? TimeSpan.FromMilliseconds(500), Commands)
                : reporter => new ExecutingCommandHandler(new Execution.CommandExecutor(stateDir, new RefusingPowerProvider(), reporter, processSlots: processes));
            var agent = new AgentRunner(settings, source, new MemoryIdentityStore(), source.MachineId, source.Hostname, NullLogger.Instance, agentSeed, commands,
                // Spread over the --server list (agent i dials server i mod n first); each fails over on its own like a real agent.
                firstServer: index);
            agent.AcceptedChanged += accepted => Interlocked.Add(ref _accepted, accepted ? 1 : -1);
            agents.Add(agent);
            runners.Add(RunOneAsync(agent, ct));
            if ((index + 1) % perTick == 0)
            {
                try
                {
                    await Task.Delay(100, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        await Task.WhenAll(runners);
        await progress;
        foreach (var agent in agents) await agent.DisposeAsync();
        execRoot?.Delete(recursive: true);
    }

    private async Task RunOneAsync(AgentRunner agent, CancellationToken ct)
    {
        try
        {
            await agent.RunAsync(ct);
        }
        catch (AgentRefusedException refused)
        {
            logger.LogWarning("A simulated agent was refused: {Reason}", refused.Message);
        }
    }

    private async Task ReportProgressAsync(DateTimeOffset started, CancellationToken ct)
    {
        var allOnlineReported = false;
        var executionsReported = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                var accepted = Accepted;
                if (!allOnlineReported && accepted >= count)
                {
                    allOnlineReported = true;
                    logger.LogInformation("all {Count} agents online after {Seconds:0.0} s", count, (DateTimeOffset.UtcNow - started).TotalSeconds);
                }
                else if (DateTimeOffset.UtcNow.Second % 5 == 0)
                {
                    logger.LogInformation("{Accepted}/{Count} agents online", accepted, count);
                }
                if (Commands.Executions != executionsReported)
                {
                    executionsReported = Commands.Executions;
                    logger.LogInformation("commands executed={Executions} distinct={Distinct}", executionsReported, Commands.Distinct);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
