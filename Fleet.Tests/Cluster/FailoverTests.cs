using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Cluster;

/// <summary>An agent given several servers (<c>--server A,B</c>) connects to one and moves to another when it cannot have it.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task FirstServerUnreachable_TheAgentConnectsToTheNextOfItsList()
    {
        using var server = new FleetServer();
        var nobody = $"http://127.0.0.1:{ProgramProcess.FreePort()}/";
        var agent = server.StartAgent("machine-failover", "failover", new FixedInventorySource("failover"), servers: $"{nobody},{server.Address}");
        await Eventually.Until(() => agent.Agent.IsAccepted, "the agent to be accepted by the second server of its list");
        Assert.Equal(server.Address, agent.Agent.CurrentServer);
    }

    [Fact]
    public async Task InstanceStops_ItsAgentMovesToTheOtherInstance_AndTheHostStaysOnline()
    {
        using var cluster = new ClusterServers();
        var agent = cluster.B.StartAgent("machine-moving", "moving", new FixedInventorySource("moving"), servers: $"{cluster.A.Address},{cluster.B.Address}");
        await Eventually.Until(() => agent.Agent.IsAccepted, "the agent to be accepted by A, the first of its list");
        Assert.Equal(cluster.A.Address, agent.Agent.CurrentServer);
        var hostId = agent.Agent.HostId!.Value;
        await Eventually.Until(() => cluster.B.Get<IAgentPresence>().IsConnected(hostId), "B to see the agent A holds");

        cluster.StopA();
        await Eventually.Until(() => cluster.B.Get<AgentRegistry>().IsConnected(hostId), "the agent to reconnect to B");
        Assert.Equal(cluster.B.Address, agent.Agent.CurrentServer);
        await Eventually.Until(async () =>
        {
            await using var db = cluster.B.Db();
            return await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => h.Connectivity).SingleAsync();
        }, c => c == HostConnectivity.Online, "the host to be online through B");
    }
}
