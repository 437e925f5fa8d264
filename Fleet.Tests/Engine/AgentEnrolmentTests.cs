using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent;
using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine;

/// <summary>Enrolment, approval, refusal and reconnection with real agents over SignalR.</summary>
public sealed class AgentEnrolmentTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:Agents:AutoApprove"] = "false" });

    public void Dispose() => _server.Dispose();

    private async Task<ManagedHost> HostAsync(string machineId)
    {
        await using var db = _server.Db();
        return await db.Hosts.AsNoTracking().SingleAsync(h => h.MachineId == machineId);
    }

    private Task<ManagedHost> HostWhenAsync(string machineId, Func<ManagedHost, bool> condition, string what) =>
        Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            return await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.MachineId == machineId);
        }, h => h is not null && condition(h), what).ContinueWith(t => t.Result!);

    [Fact]
    public async Task NewAgent_WaitsForApproval_ThenComesOnlineWithAStoredSecret()
    {
        var agent = _server.StartAgent("m-pending", "pending-01", new FixedInventorySource("pending-01"));
        var host = await HostWhenAsync("m-pending", h => h.Approval == HostApproval.Pending, "the pending host");
        Assert.False(agent.Agent.IsAccepted);
        Assert.Null(agent.Identity.Load().Secret);
        var status = await _server.Api().GetFromJsonAsync<JsonElement>("/api/v1/fleet/status");
        Assert.Equal(1, status.GetProperty("pending_approval").GetInt32());

        var response = await _server.Api().PostAsync($"/api/v1/host/{host.Id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Eventually.Until(() => agent.Agent.IsAccepted, "the approved agent to be accepted");
        var online = await HostWhenAsync("m-pending", h => h.IsOnline, "the host online");
        Assert.Equal(HostApproval.Approved, online.Approval);
        var saved = agent.Identity.Load();
        Assert.Equal(host.Id, saved.HostId);
        Assert.NotNull(saved.Secret);
        Assert.NotEqual(saved.Secret, online.SecretHash);
    }

    [Fact]
    public async Task ApprovedAgent_Restarted_ReconnectsWithItsSecretWithoutApproval()
    {
        var first = _server.StartAgent("m-restart", "restart-01", new FixedInventorySource("restart-01"));
        var host = await HostWhenAsync("m-restart", h => h.Approval == HostApproval.Pending, "the pending host");
        await _server.Get<IHostOperations>().ApproveAsync(host.Id);
        await Eventually.Until(() => first.Agent.IsAccepted, "acceptance");
        await first.StopAsync();
        await HostWhenAsync("m-restart", h => !h.IsOnline, "the host offline after its agent stopped");

        var second = _server.StartAgent("m-restart", "restart-01", new FixedInventorySource("restart-01"), enrollmentToken: null, identity: first.Identity);
        await Eventually.Until(() => second.Agent.IsAccepted, "the restarted agent to be accepted with its secret");
        Assert.Equal(host.Id, second.Agent.HostId);
        var back = await HostWhenAsync("m-restart", h => h.IsOnline, "the host online again");
        Assert.NotNull(back.SecretConfirmedAt);
    }

    [Fact]
    public async Task RejectedHost_AgentIsRefusedAndServerKeepsServing()
    {
        var agent = _server.StartAgent("m-reject", "reject-01", new FixedInventorySource("reject-01"));
        var host = await HostWhenAsync("m-reject", h => h.Approval == HostApproval.Pending, "the pending host");
        var response = await _server.Api().PostAsync($"/api/v1/host/{host.Id}/reject", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Assert.ThrowsAsync<AgentRefusedException>(() => agent.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(HostApproval.Rejected, (await HostAsync("m-reject")).Approval);
        var again = _server.StartAgent("m-reject", "reject-01", new FixedInventorySource("reject-01"));
        await Assert.ThrowsAsync<AgentRefusedException>(() => again.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(HttpStatusCode.OK, (await _server.Api().GetAsync("/api/v1/fleet/status")).StatusCode);
    }

    [Fact]
    public async Task RejectingAnApprovedHost_Returns409()
    {
        _server.StartAgent("m-approved", "approved-01", new FixedInventorySource("approved-01"));
        var host = await HostWhenAsync("m-approved", h => h.Approval == HostApproval.Pending, "the pending host");
        await _server.Get<IHostOperations>().ApproveAsync(host.Id);
        var response = await _server.Api().PostAsync($"/api/v1/host/{host.Id}/reject", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("pending", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownEnrollmentToken_IsRefusedAndNoHostIsCreated()
    {
        var agent = _server.StartAgent("m-stranger", "stranger-01", new FixedInventorySource("stranger-01"), enrollmentToken: "wrong-token");
        var refused = await Assert.ThrowsAsync<AgentRefusedException>(() => agent.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("token", refused.Message);
        await using var db = _server.Db();
        Assert.False(await db.Hosts.AnyAsync(h => h.MachineId == "m-stranger"));
    }

    [Fact]
    public async Task WrongSecret_IsRefused()
    {
        var store = new MemoryIdentityStore();
        store.Save(new AgentIdentity(Guid.NewGuid(), "fhs_forged"));
        var agent = _server.StartAgent("m-forged", "forged-01", new FixedInventorySource("forged-01"), enrollmentToken: null, identity: store);
        await Assert.ThrowsAsync<AgentRefusedException>(() => agent.Run.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task AgentThatStops_GoesOfflineAndStatusCountsFollow()
    {
        var agent = _server.StartAgent("m-leave", "leave-01", new FixedInventorySource("leave-01"));
        var host = await HostWhenAsync("m-leave", h => h.Approval == HostApproval.Pending, "the pending host");
        await _server.Get<IHostOperations>().ApproveAsync(host.Id);
        await HostWhenAsync("m-leave", h => h.IsOnline, "online");
        var counts = await _server.Get<IFleetReader>().GetCountsAsync();
        Assert.Equal((1, 1, 0), (counts.Total, counts.Online, counts.Offline));

        await agent.StopAsync();
        await HostWhenAsync("m-leave", h => !h.IsOnline, "offline");
        counts = await _server.Get<IFleetReader>().GetCountsAsync();
        Assert.Equal((1, 0, 1), (counts.Total, counts.Online, counts.Offline));
    }

    [Fact]
    public async Task HostEvents_ArePublishedForEnrolApproveOnlineAndOffline()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<FleetEventKind>();
        var stream = _server.Get<FleetEventStream>();
        var subscribers = stream.SubscriberCount;
        var listening = Task.Run(async () =>
        {
            await foreach (var batch in _server.Get<IFleetEvents>().SubscribeAsync(cts.Token))
            {
                lock (seen) seen.AddRange(batch.Select(e => e.Kind));
                lock (seen) if (seen.Contains(FleetEventKind.HostOffline)) return;
            }
        });
        await Eventually.Until(() => stream.SubscriberCount > subscribers, "the test to subscribe");
        var agent = _server.StartAgent("m-events", "events-01", new FixedInventorySource("events-01"));
        var host = await HostWhenAsync("m-events", h => h.Approval == HostApproval.Pending, "the pending host");
        await _server.Get<IHostOperations>().ApproveAsync(host.Id);
        await Eventually.Until(() => agent.Agent.IsAccepted, "acceptance");
        await agent.StopAsync();
        await listening.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(
            [FleetEventKind.HostEnrolled, FleetEventKind.HostApproved, FleetEventKind.HostOnline],
            seen.Where(k => k is FleetEventKind.HostEnrolled or FleetEventKind.HostApproved or FleetEventKind.HostOnline).Distinct().ToList());
        Assert.Contains(FleetEventKind.HostOffline, seen);
    }
}
