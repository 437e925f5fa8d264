using System.Collections.Concurrent;
using Fleet.Agent.Maintenance;

namespace Fleet.Tests.Agent.Maintenance;

/// <summary>
/// What a maintenance action needs from the agent around it (the server, a state folder, the downloader), with every line
/// it says kept, so a test can read the output the job page would show.
/// </summary>
public sealed class MaintenanceRun : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly ConcurrentQueue<string> _said = new();

    public MaintenanceRun(Uri server)
    {
        StateDir = Directory.CreateTempSubdirectory("fleet-maintenance-test-").FullName;
        Context = new MaintenanceContext(Guid.NewGuid(), server, StateDir, line =>
        {
            _said.Enqueue(line);
            return Task.CompletedTask;
        }, new AgentPackageDownloader(Http), TimeProvider.System);
    }

    public MaintenanceContext Context { get; }

    public string StateDir { get; }

    public string Output => string.Join('\n', _said);

    public void Dispose()
    {
        try
        {
            Directory.Delete(StateDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
