using Fleet.Agent;
using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.AgentMaintenance;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.AgentMaintenance;

/// <summary>The single-use tickets install tasks hand to new agents, on a server where hosts otherwise wait for an operator.</summary>
public sealed class InstallTicketEnrolmentTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:Agents:AutoApprove"] = "false" });

    public void Dispose() => _server.Dispose();

    private async Task<string> IssueAsync(string agentInvocationId)
    {
        await using var db = _server.Db();
        var token = InstallTickets.Issue(db, agentInvocationId, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        return token;
    }

    [Fact]
    public async Task HelloWithATicket_EnrolsApproved_AndTheTicketCannotBeUsedAgain()
    {
        var ticket = await IssueAsync("ticket-test-1");

        var first = _server.StartAgent("machine-ticket-01", "ticket-01", new FixedInventorySource("ticket-01"), enrollmentToken: ticket);
        await Eventually.Until(() => first.Agent.IsAccepted, "the agent with a ticket to be accepted without an operator");
        await using (var db = _server.Db())
        {
            var host = await db.Hosts.AsNoTracking().SingleAsync(h => h.MachineId == "machine-ticket-01");
            Assert.Equal(HostApproval.Approved, host.Approval);
            var spent = await db.InstallTickets.AsNoTracking().SingleAsync(t => t.AgentInvocationId == "ticket-test-1");
            Assert.Equal(host.Id, spent.UsedByHostId);
        }

        var second = _server.StartAgent("machine-ticket-02", "ticket-02", new FixedInventorySource("ticket-02"), enrollmentToken: ticket);
        var refused = await Assert.ThrowsAsync<AgentRefusedException>(() => second.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("token", refused.Message);
        await using (var db = _server.Db()) Assert.False(await db.Hosts.AnyAsync(h => h.MachineId == "machine-ticket-02"));
    }

    [Fact]
    public async Task TheFleetToken_StillEnrolsPending_AndAnExpiredTicketIsRefused()
    {
        var pending = _server.StartAgent("machine-ticket-03", "ticket-03", new FixedInventorySource("ticket-03"));
        await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            return await db.Hosts.AsNoTracking().Where(h => h.MachineId == "machine-ticket-03").Select(h => (HostApproval?)h.Approval).FirstOrDefaultAsync();
        }, approval => approval == HostApproval.Pending, "the host enrolled with the fleet token to wait for approval");
        Assert.False(pending.Agent.IsAccepted);

        var ticket = await IssueAsync("ticket-test-2");
        await using (var db = _server.Db())
        {
            (await db.InstallTickets.SingleAsync(t => t.AgentInvocationId == "ticket-test-2")).Void(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        var late = _server.StartAgent("machine-ticket-04", "ticket-04", new FixedInventorySource("ticket-04"), enrollmentToken: ticket);
        await Assert.ThrowsAsync<AgentRefusedException>(() => late.Run.WaitAsync(TimeSpan.FromSeconds(20)));
    }
}
