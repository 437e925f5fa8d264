using Fleet.Tests.Infrastructure;
using Fleet.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fleet.Tests.Api.Security;

/// <summary>LiveHub clients only send join and leave calls, so the hub refuses any message over 32 KB.</summary>
public sealed class LiveHubMessageLimitTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    private HubConnection Connect() => new HubConnectionBuilder()
        .WithUrl(new Uri(_server.Address, LiveHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(FleetServer.AdminToken))
        .Build();

    [Fact]
    public async Task MessageOver32Kilobytes_ClosesTheConnection_WhileSmallCallsWork()
    {
        await using var client = Connect();
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        await client.StartAsync();
        await client.InvokeAsync(nameof(LiveHub.JoinFleet));
        await client.InvokeAsync(nameof(LiveHub.Leave), new string('g', 30 * 1024));

        await client.SendAsync(nameof(LiveHub.Leave), new string('g', 40 * 1024));

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }
}
