namespace Fleet.Tests.Infrastructure;

/// <summary>
/// One real server with real, accepted agents, shared by the tests of a class (an xUnit class fixture).
/// A test class derives a parameterless fixture naming its hosts; one that needs more than an accepted
/// agent (an inventory, child hosts) overrides <see cref="StartAgentAsync"/>.
/// </summary>
public abstract class ServerWithAgents : IAsyncLifetime, IDisposable
{
    private readonly string[] _hostnames;
    private readonly Dictionary<string, RunningAgent> _agents = [];

    protected ServerWithAgents(params string[] hostnames) : this(null, hostnames)
    {
    }

    protected ServerWithAgents(IDictionary<string, string?>? settings, params string[] hostnames)
    {
        _hostnames = hostnames;
        Server = new FleetServer(settings);
    }

    public FleetServer Server { get; }

    public IReadOnlyDictionary<string, RunningAgent> Agents => _agents;

    public IReadOnlyDictionary<string, Guid> HostIds => _agents.ToDictionary(a => a.Key, a => a.Value.Agent.HostId!.Value);

    /// <summary>The host of the first agent named.</summary>
    public Guid HostId => HostIds[_hostnames[0]];

    /// <summary>The first agent named.</summary>
    public RunningAgent First => _agents[_hostnames[0]];

    public async Task InitializeAsync()
    {
        foreach (var hostname in _hostnames) _agents[hostname] = await StartAgentAsync(hostname);
        await AfterAgentsStartedAsync();
    }

    /// <summary>Starts one named agent and returns once the server has accepted it.</summary>
    protected virtual Task<RunningAgent> StartAgentAsync(string hostname) => Server.StartAcceptedAgentAsync(hostname);

    protected virtual Task AfterAgentsStartedAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Server.Dispose();
        GC.SuppressFinalize(this);
    }
}
