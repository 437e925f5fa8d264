using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Fleet.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fleet.Tests.Api;

/// <summary>An external SignalR client following a job through LiveHub.</summary>
public sealed class LiveHubTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    private HubConnection Connect(string? token) => new HubConnectionBuilder()
        .WithUrl(new Uri(_server.Address, LiveHub.Path), o => o.AccessTokenProvider = () => Task.FromResult(token))
        .Build();

    [Fact]
    public async Task InvocationGroup_ReceivesCoalescedProgress_InOrder_WithExactFinalCounts()
    {
        await _server.StartAcceptedAgentAsync("live-a");
        await _server.StartAcceptedAgentAsync("live-b");
        await using var client = Connect(FleetServer.AdminToken);
        var messages = Listen(client);
        await client.StartAsync();

        var id = await _server.Get<IInvocationService>().CreateAsync(new NewJob
        {
            AdHocCommand = "sleep 0.3; echo done",
            SearchQuery = "name ~ live-",
            StartAt = DateTimeOffset.UtcNow.AddSeconds(2),
        }, "tester");
        await client.InvokeAsync(nameof(LiveHub.JoinInvocation), id);
        await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(30));

        var final = await Eventually.Until(() => Task.FromResult(LastOf(messages)), m => m?.Counts["success"] == 2, "a message with the final counts");
        Assert.Equal(2, final!.Total);
        Assert.Equal(LiveHub.InvocationGroup(id), final.Group);
        var order = Enum.GetValues<TargetRunStatus>().Select(s => s.Wire()).ToList();
        List<LiveProgress> seen;
        lock (messages) seen = messages.Where(m => m.Group == LiveHub.InvocationGroup(id)).ToList();
        foreach (var host in new[] { "live-a", "live-b" })
        {
            var statuses = seen.SelectMany(m => m.Changed).Where(r => r.DeviceName == host).Select(r => order.IndexOf(r.Status)).ToList();
            Assert.NotEmpty(statuses);
            Assert.Equal(statuses.Order().ToList(), statuses);
            Assert.Equal("success", order[statuses[^1]]);
        }
    }

    [Fact]
    public async Task Burst_BeyondTheRunsPerMessageCap_ArrivesOverSeveralMessages_WithNothingLost()
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Live:MaxRunsPerMessage"] = "1" });
        for (var i = 0; i < 3; i++) await server.StartAcceptedAgentAsync($"cap-{i}");
        await using var client = new HubConnectionBuilder()
            .WithUrl(new Uri(server.Address, LiveHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(FleetServer.AdminToken))
            .Build();
        var messages = Listen(client);
        await client.StartAsync();
        var id = await server.Get<IInvocationService>().CreateAsync(new NewJob
        {
            AdHocCommand = "echo burst",
            SearchQuery = "name ~ cap-",
            StartAt = DateTimeOffset.UtcNow.AddSeconds(2),
        }, "tester");
        await client.InvokeAsync(nameof(LiveHub.JoinInvocation), id);
        await server.WaitForEndAsync(id, TimeSpan.FromSeconds(30));

        // Every host's success reaches the client although each message may carry one run.
        await Eventually.Until(() => Task.FromResult(Successes(messages, id)), hosts => hosts.Count == 3, "every host's success");
        lock (messages)
        {
            var mine = messages.Where(m => m.Group == LiveHub.InvocationGroup(id)).ToList();
            Assert.All(mine, m => Assert.True(m.Changed.Count <= 1, $"{m.Changed.Count} runs in one message"));
            Assert.Equal(3, mine[^1].Counts["success"]);
        }
    }

    [Fact]
    public async Task StageRunGroup_AloneReceivesItsOwnWavesCounts_AndNothingOfTheInvocation()
    {
        await _server.StartAcceptedAgentAsync("wave-a");
        await _server.StartAcceptedAgentAsync("wave-b");
        await using var client = Connect(FleetServer.AdminToken);
        var messages = Listen(client);
        await client.StartAsync();
        var id = await _server.Get<IInvocationService>().CreateAsync(new NewJob
        {
            AdHocCommand = "echo wave",
            SearchQuery = "name ~ wave-",
            Waves = "1, rest",
            StartAt = DateTimeOffset.UtcNow.AddSeconds(3),
        }, "tester");
        var secondWave = await Eventually.Until(() =>
        {
            using var db = _server.Db();
            return Task.FromResult(db.StageRuns.Where(s => s.InvocationId == id && s.Index == 1).Select(s => (Guid?)s.Id).FirstOrDefault());
        }, s => s is not null, "the second wave's stage run");
        await client.InvokeAsync(nameof(LiveHub.JoinStageRun), secondWave!.Value);
        await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(30));

        var group = LiveHub.StageRunGroup(secondWave.Value);
        var final = await Eventually.Until(() => Task.FromResult(LastOf(messages)), m => m?.Counts["success"] == 1, "the wave's final counts");
        Assert.Equal(group, final!.Group);
        Assert.Equal(1, final.Total);
        lock (messages)
        {
            Assert.All(messages, m => Assert.Equal(group, m.Group));
            Assert.Single(messages.SelectMany(m => m.Changed).Select(r => r.DeviceName).Distinct());
        }
    }

    [Fact]
    public async Task ChangeCommittedLongAfterItsStamp_StillReachesTheClient_ReadFromTheEventsTime()
    {
        await _server.StartAcceptedAgentAsync("stamp-a");
        await using var client = Connect(FleetServer.AdminToken);
        var messages = Listen(client);
        await client.StartAsync();
        var id = await _server.Get<IInvocationService>().CreateAsync(new NewJob
        {
            AdHocCommand = "sleep 60",
            SearchQuery = "name ~ stamp-",
            StartAt = DateTimeOffset.UtcNow.AddSeconds(2),
        }, "tester");
        await client.InvokeAsync(nameof(LiveHub.JoinInvocation), id);
        await Eventually.Until(() => Task.FromResult(LastOf(messages)), m => m?.Counts["running"] == 1, "the run seen running");

        // A writer stamped the change ten seconds ago and commits only now (a long stall between the two): its row's UpdatedAt
        // lies before the publisher's last read, and only the event's time says where to read from.
        var stamped = DateTimeOffset.UtcNow.AddSeconds(-10);
        using (var db = _server.Db())
        {
            var run = db.TargetRuns.Single(r => r.InvocationId == id);
            run.TimeOut(stamped, "stalled writer");
            db.SaveChanges();
        }
        _server.Get<IFleetEvents>().Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, stamped, id));

        var timedOut = await Eventually.Until(() =>
        {
            lock (messages) return Task.FromResult(messages.SelectMany(m => m.Changed).Where(r => r.Status == "timeout").ToList());
        }, runs => runs.Count > 0, "the timed-out run in a message");
        Assert.Equal("stamp-a", Assert.Single(timedOut).DeviceName);
    }

    /// <summary>Every progress message the client receives, in order (lock the list to read it).</summary>
    private static List<LiveProgress> Listen(HubConnection client)
    {
        var messages = new List<LiveProgress>();
        client.On<LiveProgress>(LiveHub.ProgressMethod, m => { lock (messages) messages.Add(m); });
        return messages;
    }

    private static HashSet<string> Successes(List<LiveProgress> messages, long id)
    {
        lock (messages)
            return messages.Where(m => m.Group == LiveHub.InvocationGroup(id)).SelectMany(m => m.Changed)
                .Where(r => r.Status == "success").Select(r => r.DeviceName).ToHashSet();
    }

    [Fact]
    public async Task WithoutAToken_TheConnectionIsRefused()
    {
        await using var client = Connect(null);
        await Assert.ThrowsAnyAsync<Exception>(() => client.StartAsync());
    }

    private static LiveProgress? LastOf(List<LiveProgress> messages)
    {
        lock (messages) return messages.LastOrDefault();
    }
}
