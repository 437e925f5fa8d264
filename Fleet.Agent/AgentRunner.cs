using Fleet.Agent.Children;
using Fleet.Agent.Execution;
using Fleet.Agent.Inventory;
using Fleet.Agent.Maintenance;
using Fleet.Domain.Agents;
using Fleet.Domain.Inventory;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Agent;

/// <summary>The server refused this agent (rejected host, unknown token, wrong secret); retrying would not help.</summary>
public sealed class AgentRefusedException(string message) : Exception(message);

/// <summary>
/// One agent: keeps one SignalR connection to the server, says hello, heartbeats, answers inventory
/// requests, and reconnects with jittered exponential backoff whenever the connection drops.
/// </summary>
public sealed class AgentRunner : IAsyncDisposable, ICommandReporter
{
    /// <summary>Downloads of agent packages and the install script; one client for the process, as HttpClient wants.</summary>
    private static readonly HttpClient PackageHttp = new() { Timeout = TimeSpan.FromMinutes(10) };
    private readonly AgentSettings _settings;
    private readonly IInventorySource _inventory;
    private readonly IAgentIdentityStore _identityStore;
    private readonly ILogger _logger;
    /// <summary>The connection to the server in use; one per server of the list, made when first dialled.</summary>
    private HubConnection _connection = null!;
    private readonly Dictionary<Uri, HubConnection> _connections = [];
    private readonly ServerRotation _servers;
    private readonly string _machineId;
    private readonly string _hostname;
    private readonly Random _random;
    private TaskCompletionSource _approved = NewSignal();
    private TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _refusal;
    private readonly ICommandHandler _commands;
    private readonly ChildHostCatalog _children;
    private readonly Lock _childReportGate = new();
    private string? _lastChildReport;

    /// <summary>Sent with every hello, so the server can tell a reconnect from a reboot.</summary>
    private readonly Func<string?> _bootId;

    /// <summary>The switch to another version this process takes part in, when it runs under install.sh's launcher.</summary>
    private readonly LauncherHandover? _handover;
    /// <summary>Cancelled once an update or rollback handed this process over to the launcher: the run loop ends.</summary>
    private readonly CancellationTokenSource _handedOver = new();

    /// <param name="commands">How commands are run; by default the real executor with <paramref name="power"/> (default: the machine's own).</param>
    /// <param name="children">Child host providers; by default LXD and Docker where installed.</param>
    /// <param name="bootId">The machine's boot id; the sandbox power provider acts a reboot out by changing it.</param>
    /// <param name="firstServer">Which server of the <c>--server</c> list to dial first (the simulator spreads its agents with it).</param>
    public AgentRunner(AgentSettings settings, IInventorySource inventory, IAgentIdentityStore identityStore, string machineId, string hostname,
        ILogger? logger = null, int? randomSeed = null,
        Func<ICommandReporter, ICommandHandler>? commands = null, IPowerProvider? power = null, ChildHostCatalog? children = null,
        Func<string?>? bootId = null, int firstServer = 0)
    {
        _bootId = bootId ?? MachineIdentity.BootId;
        _children = children ?? (commands is null ? ChildHostCatalog.System() : ChildHostCatalog.Empty);
        _settings = settings;
        _inventory = inventory;
        _identityStore = identityStore;
        _machineId = machineId;
        _hostname = hostname;
        _logger = logger ?? NullLogger.Instance;
        _random = randomSeed is { } seed ? new Random(seed) : new Random();
        _servers = new ServerRotation(ServerRotation.Parse(settings.Server), _random, firstServer);
        if (commands is not null)
        {
            _commands = commands(this);
        }
        else
        {
            var executor = new CommandExecutor(settings.StateDir, power ?? new SystemPowerProvider(), this, null, _children,
                () => ReportChildrenAsync(force: false, CancellationToken.None), settings.ToolPath,
                ServerRotation.Parse(settings.Server)[0], MaintenanceActions.For(settings, _children), new AgentPackageDownloader(PackageHttp),
                handedOver: () => _ = Task.Run(_handedOver.Cancel));
            _commands = new ExecutorCommandHandler(executor);
            if (LauncherLayout.OfThisProcess() is { } layout) _handover = new LauncherHandover(layout, executor);
        }
        _connection = ConnectionTo(_servers.Current);
    }

    /// <summary>The connection to one server, built with every handler the first time it is dialled and kept for the next failover.</summary>
    private HubConnection ConnectionTo(Uri server)
    {
        if (_connections.TryGetValue(server, out var existing)) return existing;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, AgentHubMethods.Path), options =>
            {
                // One WebSocket per agent, no negotiate round trip: the cheapest connection SignalR offers.
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            // The published agent has no reflection-based JSON: every message type is in the source-generated context.
            .AddJsonProtocol(options => options.PayloadSerializerOptions = AgentHubPayload.Options)
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        connection.Closed += error =>
        {
            // Only the connection in use ends the current session; an old one closing late must not cut the new one.
            if (ReferenceEquals(connection, _connection)) _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        connection.On<InventoryRequest>(AgentHubMethods.CollectInventory, request =>
        {
            _ = AnswerInventoryRequestAsync(request);
        });
        connection.On<ApprovalNotice>(AgentHubMethods.Approved, _ => _approved.TrySetResult());
        connection.On<CommandRequest>(AgentExecutionMethods.RunCommand, request =>
        {
            _ = Task.Run(() => RunGuardedAsync(() => _commands.HandleAsync(request), request.CommandId));
        });
        connection.On<Guid>(AgentExecutionMethods.CancelCommand, commandId =>
        {
            _ = Task.Run(() => RunGuardedAsync(() => _commands.CancelAsync(commandId), commandId));
        });
        connection.On<string>(AgentHubMethods.Refused, reason => _refusal = reason);
        _connections[server] = connection;
        return connection;
    }

    public Guid? HostId { get; private set; }
    /// <summary>The server this agent dials now (the one it is connected to, while it is).</summary>
    public Uri CurrentServer => _servers.Current;
    /// <summary>The run ended because an update or rollback handed this process over to the launcher (exit with <see cref="LauncherLayout.HandOverExitCode"/>).</summary>
    public bool HandedOverToLauncher => _handedOver.IsCancellationRequested;
    public bool IsAccepted { get; private set; }
    /// <summary>Raised when the server accepts this agent, or the accepted connection ends.</summary>
    public event Action<bool>? AcceptedChanged;

    /// <summary>Runs until cancelled. Throws <see cref="AgentRefusedException"/> if the server refuses this agent.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        // Before the first connection: the server may re-send a handed-over command as soon as it accepts this agent.
        _handover?.BeforeConnecting();
        using var stopOrHandOver = CancellationTokenSource.CreateLinkedTokenSource(stop, _handedOver.Token);
        var ct = stopOrHandOver.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                _closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                // Built before connecting: hashing a large inventory can take seconds, and the server drops a connection
                // that has not said hello within its hello timeout.
                var hello = await BuildHelloAsync(ct);
                _connection = ConnectionTo(_servers.Current);
                await _connection.StartAsync(ct);
                _servers.Connected();
                await ServeConnectionAsync(hello, ct);
            }
            catch (AgentRefusedException)
            {
                await StopQuietlyAsync();
                throw;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                _logger.LogWarning("Connection to {Server} failed: {Error}", _servers.Current, error.Message);
            }
            SetAccepted(false);
            await StopQuietlyAsync();
            try
            {
                // On to the next server of the list (the same one when there is only one), after a jittered delay.
                await Task.Delay(_servers.Failed(_settings.MaxReconnectDelay), ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await StopQuietlyAsync();
    }

    private async Task ServeConnectionAsync(AgentHello firstHello, CancellationToken ct)
    {
        var hello = firstHello;
        while (true)
        {
            _approved = NewSignal();
            hello ??= await BuildHelloAsync(ct);
            var result = await _connection.InvokeAsync<HelloResult>(AgentHubMethods.Hello, hello, ct);
            hello = null;
            switch (result.Outcome)
            {
                case HelloOutcome.Refused:
                    throw new AgentRefusedException(_refusal ?? result.Message ?? "The server refused this agent.");
                case HelloOutcome.PendingApproval:
                    HostId = result.HostId;
                    _logger.LogInformation("Waiting for an operator to approve this host ({HostId})", result.HostId);
                    var woke = await Task.WhenAny(_approved.Task, _closed.Task).WaitAsync(ct);
                    if (woke != _approved.Task)
                    {
                        if (_refusal is not null) throw new AgentRefusedException(_refusal);
                        return;
                    }
                    continue;
                case HelloOutcome.SecretIssued:
                    var confirmed = await ConfirmSecretAsync(result, ct);
                    if (confirmed.Outcome != HelloOutcome.Accepted)
                        throw new AgentRefusedException(_refusal ?? confirmed.Message ?? "The server did not accept the secret it issued.");
                    await OnAcceptedAsync(confirmed, ct);
                    break;
                default:
                    await OnAcceptedAsync(result, ct);
                    break;
            }
            // Refused while connected (revoked, or the identity was handed to a re-enrolled agent): retrying cannot help.
            if (_refusal is not null) throw new AgentRefusedException(_refusal);
            return;
        }
    }

    /// <summary>
    /// Stores the issued secret, reads it back and sends what was read: the server accepts the connection (and sends work)
    /// only once it knows this agent can authenticate next time.
    /// </summary>
    private async Task<HelloResult> ConfirmSecretAsync(HelloResult issued, CancellationToken ct)
    {
        _identityStore.Save(new AgentIdentity(issued.HostId, issued.IssuedSecret));
        var stored = _identityStore.Load();
        if (stored.Secret != issued.IssuedSecret || stored.HostId != issued.HostId)
            throw new InvalidOperationException("The identity store did not keep the issued secret.");
        return await _connection.InvokeAsync<HelloResult>(AgentHubMethods.ConfirmSecret, stored.Secret, ct);
    }

    private async Task<AgentHello> BuildHelloAsync(CancellationToken ct)
    {
        var identity = _identityStore.Load();
        var hash = identity.Secret is null ? null : InventoryHash.Compute(await _inventory.CollectAsync(InventorySections.All, ct));
        return new AgentHello(_machineId, _hostname, AgentVersion.Current, _settings.EnrollmentToken, identity.HostId, identity.Secret, hash, _bootId());
    }

    private async Task OnAcceptedAsync(HelloResult result, CancellationToken ct)
    {
        HostId = result.HostId;
        // Health first, then the outcome of a switch to this version, then the replay that reports it.
        _handover?.OnAccepted();
        SetAccepted(true);
        _logger.LogInformation("Connected to {Server} as host {HostId}", _servers.Current, result.HostId);
        if (result.SendInventory) await UploadInventoryAsync(null, InventorySections.All, ct);
        await ReportChildrenAsync(force: true, ct);
        // Results (and their output) that finished while the server was unreachable, including ones it no longer waits for.
        _ = Task.Run(() => RunGuardedAsync(_commands.ReplayUnacknowledgedAsync, Guid.Empty), CancellationToken.None);

        var interval = TimeSpan.FromSeconds(Math.Max(1, result.HeartbeatSeconds));
        // Start each agent's heartbeat at a random point of the interval, so a fleet that connected together does not beat together.
        var firstBeat = Task.Delay(TimeSpan.FromMilliseconds(_random.NextDouble() * interval.TotalMilliseconds), ct);
        if (await Task.WhenAny(firstBeat, _closed.Task) != firstBeat) return;
        using var timer = new PeriodicTimer(interval);
        do
        {
            if (_closed.Task.IsCompleted) return;
            await _connection.SendAsync(AgentHubMethods.Heartbeat, ct);
            await ReportChildrenAsync(force: false, ct);
        }
        while (await Task.WhenAny(timer.WaitForNextTickAsync(ct).AsTask(), _closed.Task) != _closed.Task);
    }

    private async Task AnswerInventoryRequestAsync(InventoryRequest request)
    {
        try
        {
            await UploadInventoryAsync(request.RequestId, request.Sections, CancellationToken.None);
        }
        catch (Exception error)
        {
            _logger.LogWarning("Could not answer inventory request {RequestId}: {Error}", request.RequestId, error.Message);
        }
    }

    private async Task UploadInventoryAsync(Guid? requestId, InventorySections sections, CancellationToken ct)
    {
        var report = await _inventory.CollectAsync(sections, ct);
        var hash = sections.HasFlag(InventorySections.All) ? InventoryHash.Compute(report) : "";
        await _connection.InvokeAsync(AgentHubMethods.ReportInventory, new InventoryUpload(requestId, sections, hash, report), ct);
    }

    /// <summary>
    /// Sends the child hosts the providers see. On a new connection always (the server may have restarted); otherwise
    /// only when something changed since the last report, so the heartbeat's poll costs the server nothing.
    /// </summary>
    private async Task ReportChildrenAsync(bool force, CancellationToken ct)
    {
        if (_children.IsEmpty) return;
        try
        {
            var report = await _children.ReportAsync(ct);
            var key = System.Text.Json.JsonSerializer.Serialize(report, AgentStateJsonContext.Default.ChildHostReport);
            lock (_childReportGate)
            {
                if (!force && key == _lastChildReport) return;
                _lastChildReport = key;
            }
            await _connection.InvokeAsync(AgentChildHostMethods.ReportChildHosts, report, ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            lock (_childReportGate) _lastChildReport = null;
            _logger.LogWarning("Could not report child hosts: {Error}", error.Message);
        }
    }

    /// <summary>Drops the connection as if the process had restarted; the run loop reconnects (sandbox power actions).</summary>
    public Task SimulateRestartAsync() => StopQuietlyAsync();

    private async Task RunGuardedAsync(Func<Task> work, Guid commandId)
    {
        try
        {
            await work();
        }
        catch (Exception error)
        {
            // The journal keeps the outcome; the server re-sends unfinished commands on reconnect and gets it then.
            _logger.LogWarning("Command {CommandId}: {Error}", commandId, error.Message);
        }
    }

    Task ICommandReporter.StartedAsync(Guid commandId) => _connection.InvokeAsync(AgentExecutionMethods.CommandStarted, commandId);

    Task ICommandReporter.OutputAsync(CommandOutputBatch batch) => _connection.InvokeAsync(AgentExecutionMethods.CommandOutput, batch);

    Task ICommandReporter.FinishedAsync(CommandResultMessage result) => _connection.InvokeAsync(AgentExecutionMethods.CommandFinished, result);

    private void SetAccepted(bool accepted)
    {
        if (IsAccepted == accepted) return;
        IsAccepted = accepted;
        AcceptedChanged?.Invoke(accepted);
    }

    private async Task StopQuietlyAsync()
    {
        try
        {
            await _connection.StopAsync();
        }
        catch (Exception)
        {
            // Already closed or never opened; nothing to undo.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values) await connection.DisposeAsync();
        _handedOver.Dispose();
    }
}

public static class AgentVersion
{
    /// <summary>The version the agent was published as (<c>-p:Version=</c>), prerelease labels included.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var assembly = typeof(AgentVersion).Assembly;
        var informational = System.Reflection.CustomAttributeExtensions
            .GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion;
        // The SDK appends "+<commit>" when it knows the source revision; the package version is the part before it.
        if (!string.IsNullOrEmpty(informational)) return informational.Split('+')[0];
        return assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.1.0";
    }
}
