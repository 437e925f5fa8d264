using Fleet.Agent;
using Fleet.Agent.Inventory;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine;

/// <summary>
/// Enrols the machine the server runs on, by running a real agent in-process against the server's own
/// address: a newcomer's first screen shows a real host with real inventory. <c>Fleet:LocalAgent:Enabled=false</c> turns it off.
/// </summary>
public sealed class LocalAgentService(
    IServer server,
    IHostApplicationLifetime lifetime,
    LocalAgentIdentity identity,
    IOptions<LocalAgentOptions> options,
    ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartAsync(stoppingToken)) return;
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return;
        var stateDir = options.Value.StateDir;
        var settings = new AgentSettings
        {
            Server = address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost"),
            EnrollmentToken = identity.EnrollmentToken,
            StateDir = stateDir,
        };
        var logger = loggers.CreateLogger("Fleet.LocalAgent");
        await using var agent = new AgentRunner(settings, new LinuxInventorySource(), new FileIdentityStore(stateDir),
            MachineIdentity.Read(stateDir), Environment.MachineName, logger);
        try
        {
            await agent.RunAsync(stoppingToken);
        }
        catch (AgentRefusedException refused)
        {
            logger.LogWarning("The local agent was refused: {Reason}", refused.Message);
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
