using Fleet.Domain.Agents;
using Fleet.Domain.Inventory;
using Fleet.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Hubs;

/// <summary>
/// The agent hub from a raw SignalR client's side: what an unauthenticated connection may send and for how long, and the
/// handshake that issues a secret and accepts the connection only once the agent sends it back.
/// </summary>
public sealed class AgentHubHandshakeTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?>
    {
        ["Fleet:Agents:AutoApprove"] = "true",
        ["Fleet:Agents:HelloTimeoutSeconds"] = "1",
    });

    public void Dispose() => _server.Dispose();

    private async Task<(HubConnection Connection, TaskCompletionSource Closed)> ConnectAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_server.Address, AgentHubMethods.Path), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        return (connection, closed);
    }

    private static AgentHello Hello(string machineId, string? token = FleetServer.EnrollmentToken, string hostname = "raw-01", Guid? hostId = null, string? secret = null) =>
        new(machineId, hostname, "0.1.0", token, hostId, secret, null, "boot-" + machineId);

    [Fact]
    public async Task MessageOver64KbBeforeHello_ClosesTheConnectionAndEnrolsNothing()
    {
        var (connection, closed) = await ConnectAsync();
        await using var _ = connection;
        // Otherwise a valid hello (right token, auto-approval on): only its size stands in the way.
        var huge = Hello("m-huge") with { AgentVersion = new string('x', 100 * 1024) };

        await Assert.ThrowsAnyAsync<Exception>(() => connection.InvokeAsync<HelloResult>(AgentHubMethods.Hello, huge));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await using var db = _server.Db();
        Assert.False(await db.Hosts.AnyAsync(h => h.MachineId == "m-huge"));
    }

    [Fact]
    public async Task SmallHelloBeforeAcceptance_IsAnswered()
    {
        var (connection, _) = await ConnectAsync();
        await using var __ = connection;
        var result = await connection.InvokeAsync<HelloResult>(AgentHubMethods.Hello, Hello("m-small", token: "wrong"));
        Assert.Equal(HelloOutcome.Refused, result.Outcome);
    }

    [Fact]
    public async Task ConnectionThatNeverSaysHello_IsDroppedAfterTheHelloTimeout()
    {
        var started = DateTime.UtcNow;
        var (connection, closed) = await ConnectAsync();
        await using var _ = connection;
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ConnectionWaitingForApproval_IsNotDroppedByTheHelloTimeout()
    {
        using var server = new FleetServer(new Dictionary<string, string?>
        {
            ["Fleet:Agents:AutoApprove"] = "false",
            ["Fleet:Agents:HelloTimeoutSeconds"] = "1",
        });
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.Address, AgentHubMethods.Path), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
            .Build();
        await using var _ = connection;
        await connection.StartAsync();
        var result = await connection.InvokeAsync<HelloResult>(AgentHubMethods.Hello, Hello("m-wait"));
        Assert.Equal(HelloOutcome.PendingApproval, result.Outcome);
        var deadline = Task.Delay(TimeSpan.FromSeconds(3));
        await Eventually.Until(() => deadline.IsCompleted || connection.State != HubConnectionState.Connected, "three hello timeouts to pass", TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task IssuedSecret_ConnectionIsAcceptedOnlyAfterTheSecretIsSentBack_ThenLargeMessagesAreAllowed()
    {
        var (connection, _) = await ConnectAsync();
        await using var __ = connection;
        var issued = await connection.InvokeAsync<HelloResult>(AgentHubMethods.Hello, Hello("m-confirm"));
        Assert.Equal(HelloOutcome.SecretIssued, issued.Outcome);
        Assert.NotNull(issued.IssuedSecret);

        // Not accepted yet: no work, no reports, and the host is not online.
        var early = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync(AgentHubMethods.ReportInventory, Upload("m-confirm", 10)));
        Assert.Contains("hello", early.Message);
        await using (var db = _server.Db())
        {
            var host = await db.Hosts.AsNoTracking().SingleAsync(h => h.MachineId == "m-confirm");
            Assert.False(host.IsOnline);
            Assert.Null(host.SecretConfirmedAt);
        }

        var accepted = await connection.InvokeAsync<HelloResult>(AgentHubMethods.ConfirmSecret, issued.IssuedSecret);
        Assert.Equal(HelloOutcome.Accepted, accepted.Outcome);
        await using (var db = _server.Db())
        {
            var host = await db.Hosts.AsNoTracking().SingleAsync(h => h.MachineId == "m-confirm");
            Assert.True(host.IsOnline);
            Assert.NotNull(host.SecretConfirmedAt);
        }
        // An inventory of ~200 KB: over the pre-hello limit, fine once accepted.
        await connection.InvokeAsync(AgentHubMethods.ReportInventory, Upload("m-confirm", 2000));
    }

    [Fact]
    public async Task IssuedSecretNeverConfirmed_ConnectionLost_TheAgentAskingAgainGetsAFreshOne()
    {
        var (first, _) = await ConnectAsync();
        var lost = await first.InvokeAsync<HelloResult>(AgentHubMethods.Hello, Hello("m-lost-confirm"));
        Assert.Equal(HelloOutcome.SecretIssued, lost.Outcome);
        await first.DisposeAsync();
        var registry = _server.Get<Fleet.Web.Engine.AgentRegistry>();
        await Eventually.Until(() => !registry.IsConfirming(lost.HostId!.Value), "the server to notice the lost connection");

        var (second, _) = await ConnectAsync();
        await using var __ = second;
        var again = await second.InvokeAsync<HelloResult>(AgentHubMethods.Hello, Hello("m-lost-confirm"));
        Assert.Equal(HelloOutcome.SecretIssued, again.Outcome);
        Assert.NotEqual(lost.IssuedSecret, again.IssuedSecret);
        Assert.Equal(HelloOutcome.Accepted, (await second.InvokeAsync<HelloResult>(AgentHubMethods.ConfirmSecret, again.IssuedSecret)).Outcome);
        await using var db = _server.Db();
        Assert.False(await db.ReenrolmentRequests.AnyAsync(r => r.HostId == lost.HostId));

        // Once confirmed, the identity is settled: the token alone gets only a re-enrolment request.
        var (third, _) = await ConnectAsync();
        await using var ___ = third;
        var intruder = await third.InvokeAsync<HelloResult>(AgentHubMethods.Hello, Hello("m-lost-confirm"));
        Assert.Null(intruder.IssuedSecret);
        Assert.NotEqual(HelloOutcome.Accepted, intruder.Outcome);
    }

    [Fact]
    public async Task ConfirmingAWrongSecret_IsRefusedAndTheIssuedSecretStaysValid()
    {
        var (connection, closed) = await ConnectAsync();
        await using var __ = connection;
        var issued = await connection.InvokeAsync<HelloResult>(AgentHubMethods.Hello, Hello("m-wrong-confirm"));
        var refused = await connection.InvokeAsync<HelloResult>(AgentHubMethods.ConfirmSecret, "fhs_not-the-one");
        Assert.Equal(HelloOutcome.Refused, refused.Outcome);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var (second, _) = await ConnectAsync();
        await using var ___ = second;
        var again = await second.InvokeAsync<HelloResult>(AgentHubMethods.Hello, Hello("m-wrong-confirm", token: null, hostId: issued.HostId, secret: issued.IssuedSecret));
        Assert.Equal(HelloOutcome.Accepted, again.Outcome);
    }

    private static InventoryUpload Upload(string hostname, int packages)
    {
        var facts = new HostFacts(hostname, "linux", "Debian 12", "6.1", "0.1.0", 2, "cpu", 1L << 30, 100, "10.0.0.1");
        var software = Enumerable.Range(0, packages).Select(i => new SoftwarePackage($"package-{i}", "1.0", "amd64", "installed", new string('d', 80), null)).ToList();
        var report = new InventoryReport(facts, null, null, null, null, software, null);
        return new InventoryUpload(null, InventorySections.Software, "", report);
    }
}
