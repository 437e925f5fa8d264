using System.Net;
using System.Net.Http.Json;
using Fleet.Agent;
using Fleet.Agent.Execution;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine;

/// <summary>
/// An approved host's identity is usable only with its secret: attempts to take it over with the enrolment token and the
/// victim's machine id, with a wrong secret, or after a revocation, against a real server with real agents.
/// </summary>
public sealed class AgentIdentityTests : IDisposable
{
    // Auto-approval on: the setting under which the takeover was worst, and which must still not apply to a known machine.
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:Agents:AutoApprove"] = "true" });

    public void Dispose() => _server.Dispose();

    private async Task<ManagedHost> HostAsync(Guid id)
    {
        await using var db = _server.Db();
        return await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == id);
    }

    private async Task<ReenrolmentRequest?> RequestAsync(Guid hostId)
    {
        await using var db = _server.Db();
        return await db.ReenrolmentRequests.AsNoTracking().Where(r => r.HostId == hostId).OrderByDescending(r => r.LastRequestedAt).FirstOrDefaultAsync();
    }

    /// <summary>An intruder with the enrolment token and the victim's machine id, but its own state directory and no secret.</summary>
    private (RunningAgent Agent, RecordingCommands Commands) StartIntruder(string machineId)
    {
        var commands = new RecordingCommands();
        var agent = _server.StartAgent(machineId, "intruder", new FixedInventorySource("intruder"), identity: new MemoryIdentityStore(),
            stateDir: Path.Combine(_server.DataDirectory, "intruders", machineId), commands: _ => commands);
        return (agent, commands);
    }

    [Fact]
    public async Task Takeover_WithTokenAndVictimsMachineId_BecomesAPendingRequestAndTheVictimKeepsItsCommands()
    {
        var victim = await _server.StartAcceptedAgentAsync("victim-01");
        var hostId = victim.Agent.HostId!.Value;
        var before = await HostAsync(hostId);

        var (intruder, received) = StartIntruder("machine-victim-01");
        var request = await Eventually.Until(() => RequestAsync(hostId), r => r is { Status: ReenrolmentStatus.Pending }, "the re-enrolment request");
        Assert.False(intruder.Agent.IsAccepted);
        Assert.Null(intruder.Identity.Load().Secret);
        Assert.Equal("intruder", request!.Hostname);
        Assert.NotNull(request.RemoteAddress);
        Assert.NotNull(request.CurrentAgentBootId);

        var id = await _server.RunAsync("echo still-the-victim", "name = victim-01");
        var results = await _server.WaitForEndAsync(id);
        Assert.Equal(TargetRunStatus.Success, Assert.Single(results).Status);
        Assert.Contains("still-the-victim", results[0].Stdout);
        Assert.Empty(received.Requests);

        var after = await HostAsync(hostId);
        Assert.Equal(before.SecretHash, after.SecretHash);
        Assert.True(after.IsOnline);
        Assert.True(victim.Agent.IsAccepted);
        Assert.False(intruder.Run.IsCompleted);
    }

    [Fact]
    public async Task ApprovingTheReenrolment_RevokesTheOldAgentAndHandsTheIdentityToTheRequester()
    {
        var victim = await _server.StartAcceptedAgentAsync("reissue-01");
        var hostId = victim.Agent.HostId!.Value;
        var oldSecret = victim.Identity.Load().Secret!;
        var (requester, received) = StartIntruder("machine-reissue-01");
        await Eventually.Until(() => RequestAsync(hostId), r => r is { Status: ReenrolmentStatus.Pending }, "the re-enrolment request");

        using var api = _server.Api();
        var response = await api.PostAsync($"/api/v1/host/{hostId}/reenrolment/approve", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Assert.ThrowsAsync<AgentRefusedException>(() => victim.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        await Eventually.Until(() => requester.Agent.IsAccepted, "the requester accepted with a new secret");
        Assert.Equal(hostId, requester.Agent.HostId);
        var newSecret = requester.Identity.Load().Secret;
        Assert.NotNull(newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(ReenrolmentStatus.Completed, (await RequestAsync(hostId))!.Status);

        // The re-enrolled agent reports its own hostname in its inventory, which the host then carries.
        await Eventually.Until(() => HostAsync(hostId), h => h.Hostname == "intruder", "the requester's inventory");
        await _server.RunAsync("echo for-the-new-agent", "name = intruder");
        await Eventually.Until(() => received.Requests.Count == 1, "the command delivered to the re-enrolled agent");

        // The old agent's secret is worthless now.
        var again = _server.StartAgent("machine-reissue-01", "reissue-01", new FixedInventorySource("reissue-01"), enrollmentToken: null, identity: victim.Identity);
        await Assert.ThrowsAsync<AgentRefusedException>(() => again.Run.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task RejectingTheReenrolment_RefusesTheRequesterAndLeavesTheVictimIntact()
    {
        var victim = await _server.StartAcceptedAgentAsync("keep-01");
        var hostId = victim.Agent.HostId!.Value;
        var secretHash = (await HostAsync(hostId)).SecretHash;
        var (intruder, received) = StartIntruder("machine-keep-01");
        await Eventually.Until(() => RequestAsync(hostId), r => r is { Status: ReenrolmentStatus.Pending }, "the re-enrolment request");

        using var api = _server.Api();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/host/{hostId}/reenrolment/reject", null)).StatusCode);

        await Assert.ThrowsAsync<AgentRefusedException>(() => intruder.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(ReenrolmentStatus.Rejected, (await RequestAsync(hostId))!.Status);
        Assert.Equal(secretHash, (await HostAsync(hostId)).SecretHash);
        Assert.True(victim.Agent.IsAccepted);
        var results = await _server.WaitForEndAsync(await _server.RunAsync("echo after-reject", "name = keep-01"));
        Assert.Equal(TargetRunStatus.Success, Assert.Single(results).Status);
        Assert.Empty(received.Requests);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/host/{hostId}/reenrolment/reject", null)).StatusCode);
    }

    [Fact]
    public async Task WrongSecretForAKnownHost_IsRefusedAndNeverChangesTheHost()
    {
        var victim = await _server.StartAcceptedAgentAsync("forge-01");
        var hostId = victim.Agent.HostId!.Value;
        var before = await HostAsync(hostId);
        var forged = new MemoryIdentityStore();
        forged.Save(new AgentIdentity(hostId, "fhs_forged"));
        var attacker = _server.StartAgent("machine-forge-01", "forge-01", new FixedInventorySource("forge-01"), identity: forged,
            stateDir: Path.Combine(_server.DataDirectory, "forger"));

        await Assert.ThrowsAsync<AgentRefusedException>(() => attacker.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        var after = await HostAsync(hostId);
        Assert.Equal(before.SecretHash, after.SecretHash);
        Assert.True(after.IsOnline);
        Assert.True(victim.Agent.IsAccepted);
        Assert.Null(await RequestAsync(hostId));
    }

    [Fact]
    public async Task AutoApproveWithAWrongToken_IsRefusedAndCreatesNoHost()
    {
        var agent = _server.StartAgent("machine-stranger", "stranger", new FixedInventorySource("stranger"), enrollmentToken: "wrong-token");
        var refused = await Assert.ThrowsAsync<AgentRefusedException>(() => agent.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("token", refused.Message);
        await using var db = _server.Db();
        Assert.False(await db.Hosts.AnyAsync(h => h.MachineId == "machine-stranger"));
    }

    [Fact]
    public async Task RevokedHost_AgentIsDisconnectedAndRefusedAfterwards()
    {
        var agent = await _server.StartAcceptedAgentAsync("revoke-01");
        var hostId = agent.Agent.HostId!.Value;
        using var api = _server.Api();
        var response = await api.PostAsync($"/api/v1/host/{hostId}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Assert.ThrowsAsync<AgentRefusedException>(() => agent.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.False(_server.Get<AgentRegistry>().IsConnected(hostId));
        var host = await HostAsync(hostId);
        Assert.True(host.IsRevoked);
        Assert.False(host.IsOnline);

        var again = _server.StartAgent("machine-revoke-01", "revoke-01", new FixedInventorySource("revoke-01"), enrollmentToken: null, identity: agent.Identity);
        await Assert.ThrowsAsync<AgentRefusedException>(() => again.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/host/{hostId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/v1/host/{Guid.NewGuid()}/revoke", null)).StatusCode);
    }

    [Fact]
    public async Task RevokedHost_ComesBackOnlyThroughAnApprovedReenrolment()
    {
        var agent = await _server.StartAcceptedAgentAsync("back-01");
        var hostId = agent.Agent.HostId!.Value;
        await _server.Get<IHostOperations>().RevokeAsync(hostId);
        await Assert.ThrowsAsync<AgentRefusedException>(() => agent.Run.WaitAsync(TimeSpan.FromSeconds(20)));

        // Auto-approval is on, yet a machine that already had an approved host waits for an operator.
        var fresh = _server.StartAgent("machine-back-01", "back-01", new FixedInventorySource("back-01"), identity: new MemoryIdentityStore(),
            stateDir: Path.Combine(_server.DataDirectory, "reinstalled"));
        await Eventually.Until(() => RequestAsync(hostId), r => r is { Status: ReenrolmentStatus.Pending }, "the re-enrolment request");
        Assert.False(fresh.Agent.IsAccepted);
        await _server.Get<IHostOperations>().ApproveReenrolmentAsync(hostId);
        await Eventually.Until(() => fresh.Agent.IsAccepted, "the re-installed agent accepted");
        Assert.Equal(hostId, fresh.Agent.HostId);
    }

    [Fact]
    public async Task TwoAgentsWithTheSameSecretAndDifferentBootIds_TheConnectedOneStaysAndTheHostIsFlagged()
    {
        var original = await _server.StartAcceptedAgentAsync("clone-01");
        var hostId = original.Agent.HostId!.Value;
        // A cloned VM image: same machine id, same identity file, but it booted on its own (its state dir gives it its own boot id).
        var cloneState = Path.Combine(_server.DataDirectory, "clone");
        var clone = _server.StartAgent("machine-clone-01", "clone-01", new FixedInventorySource("clone-01"), enrollmentToken: null,
            identity: original.Identity, stateDir: cloneState);

        var flagged = await Eventually.Until(() => HostAsync(hostId), h => h.DuplicateSeenAt is not null, "the duplicate flag");
        Assert.Contains("boot id", flagged.DuplicateDetail);
        Assert.True(original.Agent.IsAccepted);
        Assert.False(clone.Agent.IsAccepted);
        Assert.Equal(_server.Get<AgentRegistry>().BootIdOf(hostId), (await HostAsync(hostId)).AgentBootId);
    }

    /// <summary>Stands in for the intruder's executor: records what the server sent it and runs nothing.</summary>
    private sealed class RecordingCommands : ICommandHandler
    {
        private readonly List<CommandRequest> _requests = [];

        public IReadOnlyList<CommandRequest> Requests
        {
            get
            {
                lock (_requests) return _requests.ToList();
            }
        }

        public Task HandleAsync(CommandRequest request)
        {
            lock (_requests) _requests.Add(request);
            return Task.CompletedTask;
        }

        public Task CancelAsync(Guid commandId) => Task.CompletedTask;
        public Task ReplayUnacknowledgedAsync() => Task.CompletedTask;
    }
}
