using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Fleet.Web.Jobs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fleet.Tests.Jobs;

/// <summary>The offline sweep on a real SQLite database with a clock the test moves.</summary>
public sealed class HostSweepJobTests : IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly FleetEventStream _events = new();
    private DbContextFactory _factory = null!;
    private DbWriteBatcher? _writer;

    private sealed class DbContextFactory(DbContextOptions<FleetDbContext> options) : IDbContextFactory<FleetDbContext>
    {
        public FleetDbContext CreateDbContext() => new(options);
    }

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _factory = new DbContextFactory(new DbContextOptionsBuilder<FleetDbContext>().UseSqlite(_connection).Options);
        await using var db = _factory.CreateDbContext();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_writer is not null) await _writer.StopAsync(default);
        await _connection.DisposeAsync();
    }

    private HostSweepJob Job(AgentRegistry registry)
    {
        var writer = new DbWriteBatcher(_factory, NullLogger<DbWriteBatcher>.Instance);
        var heartbeats = new HeartbeatRecorder(writer, _clock, NullLogger<HeartbeatRecorder>.Instance);
        var options = new OptionsMonitorStub(new AgentOptions { HeartbeatSeconds = 30, MissedHeartbeatsBeforeOffline = 3 });
        _writer = writer;
        return new HostSweepJob(writer, registry, heartbeats, _events, options, _clock);
    }

    private async Task<ManagedHost> AddOnlineHostAsync(string name, DateTimeOffset lastSeen)
    {
        await using var db = _factory.CreateDbContext();
        var host = new ManagedHost(Guid.NewGuid(), "m-" + name, name, lastSeen);
        host.Approve(lastSeen);
        host.MarkOnline(lastSeen);
        db.Hosts.Add(host);
        await db.SaveChangesAsync();
        return host;
    }

    [Fact]
    public async Task Run_MarksHostsWithoutALiveConnectionOffline()
    {
        var host = await AddOnlineHostAsync("ghost", _clock.GetUtcNow());
        var job = Job(new AgentRegistry());
        await _writer!.StartAsync(default);
        var marked = await job.RunAsync();
        Assert.Equal(1, marked);
        await using var db = _factory.CreateDbContext();
        Assert.Equal(HostConnectivity.Offline, (await db.Hosts.SingleAsync(h => h.Id == host.Id)).Connectivity);
    }

    [Fact]
    public async Task Run_MarksConnectedHostWithLateHeartbeatOffline_AndKeepsFreshOnes()
    {
        var late = await AddOnlineHostAsync("late", _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(5));
        var fresh = await AddOnlineHostAsync("fresh", _clock.GetUtcNow());
        var registry = new AgentRegistry();
        var lateConnection = new FakeCaller("c-late");
        registry.Accept(late.Id, lateConnection);
        registry.Accept(fresh.Id, new FakeCaller("c-fresh"));

        var job = Job(registry);
        await _writer!.StartAsync(default);
        var marked = await job.RunAsync();

        Assert.Equal(1, marked);
        Assert.True(lateConnection.Aborted);
        await using var db = _factory.CreateDbContext();
        Assert.Equal(HostConnectivity.Offline, (await db.Hosts.SingleAsync(h => h.Id == late.Id)).Connectivity);
        Assert.Equal(HostConnectivity.Online, (await db.Hosts.SingleAsync(h => h.Id == fresh.Id)).Connectivity);
    }

    private sealed class OptionsMonitorStub(AgentOptions value) : IOptionsMonitor<AgentOptions>
    {
        public AgentOptions CurrentValue => value;
        public AgentOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<AgentOptions, string?> listener) => null;
    }

    private sealed class FakeCaller(string connectionId) : HubCallerContext
    {
        public bool Aborted { get; private set; }
        public override string ConnectionId => connectionId;
        public override string? UserIdentifier => null;
        public override System.Security.Claims.ClaimsPrincipal? User => null;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;
        public override void Abort() => Aborted = true;
    }
}
