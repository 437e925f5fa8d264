using Fleet.Agent.Execution;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Agent.Execution;

/// <summary>A throw-away state directory, a recording reporter and helpers to run real commands against them.</summary>
public sealed class ExecutorTestContext : IDisposable
{
    public DirectoryInfo StateDir { get; } = Directory.CreateTempSubdirectory("fleet-exec-tests-");
    public RecordingReporter Reporter { get; } = new();

    public CommandExecutor NewExecutor(IPowerProvider? power = null, TimeProvider? clock = null) =>
        new(StateDir.FullName, power ?? new SandboxPowerProvider(StateDir.FullName, (_, _) => Task.CompletedTask), Reporter, clock);

    public string PathIn(string name) => Path.Combine(StateDir.FullName, name);

    public static CommandRequest Script(string script, int timeoutSeconds = 10, string? user = null) =>
        new(Guid.NewGuid(), CommandKind.Script, script, user, timeoutSeconds);

    /// <summary>Runs the request to completion and returns the one result reported for it.</summary>
    public async Task<CommandResultMessage> RunAsync(CommandExecutor executor, CommandRequest request)
    {
        await executor.HandleAsync(request).WaitAsync(TimeSpan.FromSeconds(20));
        return Assert.Single(Reporter.Finished(request.CommandId));
    }

    /// <summary>False once the process is gone or only a zombie waiting for its parent to reap it.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            StateDir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
