using System.Net.Http.Headers;
using Fleet.Agent;
using Fleet.Agent.Children;
using Fleet.Agent.Execution;
using Fleet.Agent.Inventory;
using Fleet.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A real Fleet server on a loopback port with its own SQLite file, and helpers to attach real agents
/// (in-process <see cref="AgentRunner"/>s speaking SignalR over WebSockets to it).
/// </summary>
public sealed class FleetServer : WebApplicationFactory<Program>
{
    public const string AdminToken = "test-admin-token-0123456789";
    public const string AdminPassword = "admin-password-1";
    public const string EnrollmentToken = "test-enrollment-token";

    private readonly string _directory;
    private readonly bool _keepDirectory;
    private readonly Dictionary<string, string?> _settings;
    private readonly List<(AgentRunner Agent, CancellationTokenSource Stop, Task Run)> _agents = [];

    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="directory">Reuse another server's folder (database, agent state) to test a restart; it is then left in place.</param>
    /// <param name="port">A fixed loopback port, so agents started outside this server find its successor after a restart; 0 = any.</param>
    /// <param name="configure">More host configuration, e.g. a logger provider that records what the server logs.</param>
    public FleetServer(IDictionary<string, string?>? settings = null, string? directory = null, int port = 0, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        _keepDirectory = directory is not null;
        _directory = directory ?? Path.Combine(Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Fleet"] = $"Data Source={Path.Combine(_directory, "fleet.db")}",
            // The data folder when the database is not a file (PostgreSQL); SQLite's is its file's folder, this one.
            [DataSetup.DataFolderSetting] = _directory,
            ["Fleet:Bootstrap:AdminToken"] = AdminToken,
            ["Fleet:Bootstrap:AdminPassword"] = AdminPassword,
            ["Fleet:Agents:EnrollmentToken"] = EnrollmentToken,
            ["Fleet:Agents:AutoApprove"] = "true",
            ["Fleet:LocalAgent:Enabled"] = "false",
            ["Fleet:Jobs:QuietHangfireLogs"] = "true",
            // Most tests start a server of their own; the SQLite storage (the default) is tested where it matters, under Jobs/.
            ["Fleet:Jobs:Storage"] = "InMemory",
            ["Fleet:LocalAgent:StateDir"] = Path.Combine(_directory, "local-agent"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        UseKestrel(port);
        StartServer();
    }

    public string DataDirectory => _directory;

    /// <summary>Power actions the test agents asked for (sandbox provider: the machine is never touched).</summary>
    public List<(string Hostname, PowerAction Action, TimeSpan Delay)> PowerRequests { get; } = [];

    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        _configure?.Invoke(builder);
    }

    public HttpClient Api(string? token = AdminToken)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public FleetDbContext Db() => Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContext();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The agent's state directory (identity, command journal, sandbox power log and sandbox child hosts).</summary>
    public string AgentStateDir(string machineId) => Path.Combine(_directory, "agents", machineId);

    /// <summary>Starts a real agent against this server. Its run task faults if the server refuses it.</summary>
    /// <param name="children">Child hosts for a sandbox provider in the agent's state dir (seeded only when the dir has none yet); none → no child providers.</param>
    /// <param name="comesBackAfterPowerAction">False: a reboot ends the agent for good, like a machine that never boots again.</param>
    /// <param name="rebootChangesBootId">False: after a reboot the agent reconnects with the same boot id, as if the machine never restarted.</param>
    /// <param name="powerProvider">Replaces the sandbox power provider (e.g. one that refuses, like a host whose init says no).</param>
    /// <param name="stateDir">Another state directory than the machine id's (a second agent claiming the same machine, with its own boot id).</param>
    /// <param name="commands">Replaces the real executor (e.g. one that only records what it was sent).</param>
    /// <param name="toolPath">A directory of sandbox tools (systemctl, apt-get) found before the machine's own.</param>
    /// <param name="servers">The agent's <c>--server</c> list (failover tests); this server by default.</param>
    public RunningAgent StartAgent(string machineId, string hostname, IInventorySource? inventory = null,
        string? enrollmentToken = EnrollmentToken, IAgentIdentityStore? identity = null, IReadOnlyList<SandboxChild>? children = null,
        bool comesBackAfterPowerAction = true, IPowerProvider? powerProvider = null, bool rebootChangesBootId = true,
        string? stateDir = null, Func<ICommandReporter, ICommandHandler>? commands = null, string? toolPath = null, string? servers = null)
    {
        var settings = new AgentSettings
        {
            Server = servers ?? Address.ToString(),
            EnrollmentToken = enrollmentToken,
            StateDir = stateDir ?? Path.Combine(_directory, "agents", machineId),
            MaxReconnectDelay = TimeSpan.FromSeconds(2),
            ToolPath = toolPath,
        };
        identity ??= new FileIdentityStore(settings.StateDir);
        AgentRunner? agent = null;
        var stop = new CancellationTokenSource();
        var sandboxPower = new SandboxPowerProvider(settings.StateDir, async (action, delay) =>
        {
            lock (PowerRequests) PowerRequests.Add((hostname, action, delay));
            if (!comesBackAfterPowerAction) await stop.CancelAsync();
            else if (agent is not null) await agent.SimulateRestartAsync();
        }, rebootChangesBootId: rebootChangesBootId);
        var power = powerProvider ?? sandboxPower;
        ChildHostCatalog catalog = ChildHostCatalog.Empty;
        if (children is not null)
        {
            var sandbox = new SandboxChildHostProvider(settings.StateDir);
            if (!File.Exists(Path.Combine(settings.StateDir, SandboxChildHostProvider.FileName))) sandbox.Seed(children);
            catalog = new ChildHostCatalog([sandbox]);
        }
        agent = new AgentRunner(settings, inventory ?? new LinuxInventorySource(), identity, machineId, hostname, power: power, children: catalog,
            bootId: () => sandboxPower.BootId, commands: commands);
        var run = Task.Run(() => agent.RunAsync(stop.Token));
        _agents.Add((agent, stop, run));
        return new RunningAgent(agent, stop, run, identity);
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var (agent, stop, run) in _agents)
        {
            stop.Cancel();
            try
            {
                run.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }
            agent.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        }
        base.Dispose(disposing);
        if (_keepDirectory) return;
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record RunningAgent(AgentRunner Agent, CancellationTokenSource Stop, Task Run, IAgentIdentityStore Identity)
{
    public async Task StopAsync()
    {
        await Stop.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
