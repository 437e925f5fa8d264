using Fleet.Domain.Execution;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Infrastructure;

/// <summary>Starting agents and jobs, and waiting for their outcome, for engine and API tests.</summary>
public static class JobHelpers
{
    public static async Task<RunningAgent> StartAcceptedAgentAsync(this FleetServer server, string hostname)
    {
        var agent = server.StartAgent("machine-" + hostname, hostname, new FixedInventorySource(hostname));
        await Eventually.Until(() => agent.Agent.IsAccepted, $"agent {hostname} accepted");
        return agent;
    }

    public static Task<long> RunAsync(this FleetServer server, string command, string searchQuery, int? timeoutSeconds = null, int? timeToPickup = null, int? concurrency = null) =>
        server.Get<IInvocationService>().CreateAsync(new NewJob
        {
            AdHocCommand = command,
            SearchQuery = searchQuery,
            ExecutionTimeoutSeconds = timeoutSeconds,
            TimeToPickupSeconds = timeToPickup,
            ConcurrencyLevel = concurrency,
        }, "tester");

    public static async Task<IReadOnlyList<HostCommandResult>> WaitForEndAsync(this FleetServer server, long invocationId, TimeSpan? timeout = null)
    {
        await Eventually.Until(async () =>
        {
            await using var db = server.Db();
            return await db.Invocations.AsNoTracking().Where(i => i.Id == invocationId).Select(i => i.State).FirstAsync();
        }, state => state == InvocationState.Stopped, $"invocation {invocationId} to end", timeout ?? TimeSpan.FromSeconds(30));
        return await server.Get<CommandRunner>().ResultsAsync(invocationId, default);
    }

    public static async Task<TargetRunStatus> RunStatusAsync(this FleetServer server, long invocationId)
    {
        await using var db = server.Db();
        return await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).Select(r => r.Status).FirstAsync();
    }
}
