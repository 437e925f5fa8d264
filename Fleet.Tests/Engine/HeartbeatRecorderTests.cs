using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Tests.Engine;

/// <summary>The heartbeat flush on a real SQLite database, with a clock the test moves.</summary>
public sealed class HeartbeatRecorderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryFleetDatabase _database = new();
    private readonly ManualClock _clock = new(Start);
    private DbWriteBatcher _writer = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _writer = new DbWriteBatcher(_database, NullLogger<DbWriteBatcher>.Instance);
        await _writer.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync(default);
        await _database.DisposeAsync();
    }

    private async Task<Guid> AddHostAsync(string name, DateTimeOffset lastSeen)
    {
        await using var db = _database.CreateDbContext();
        var host = new ManagedHost(Guid.NewGuid(), "m-" + name, name, lastSeen);
        db.Hosts.Add(host);
        await db.SaveChangesAsync();
        return host.Id;
    }

    private async Task<DateTimeOffset> LastSeenAsync(Guid hostId)
    {
        await using var db = _database.CreateDbContext();
        return await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => h.LastSeen).SingleAsync();
    }

    [Fact]
    public async Task Flush_WritesEachHostsLatestHeartbeat_RoundedDownToTheSecond()
    {
        var early = await AddHostAsync("early", Start);
        var late = await AddHostAsync("late", Start);
        var recorder = new HeartbeatRecorder(_writer, _clock, NullLogger<HeartbeatRecorder>.Instance);

        _clock.Advance(TimeSpan.FromSeconds(2.25));
        recorder.Seen(early);
        recorder.Seen(late);
        _clock.Advance(TimeSpan.FromSeconds(3.5));
        recorder.Seen(late);
        await recorder.FlushAsync();

        Assert.Equal(Start.AddSeconds(2), await LastSeenAsync(early));
        Assert.Equal(Start.AddSeconds(5), await LastSeenAsync(late));
        Assert.Equal(Start.AddSeconds(5.75), recorder.LastSeen(late));
    }

    [Fact]
    public async Task Flush_NeverMovesALastSeenTimeBack()
    {
        // Written later by another path (a reconnect on another instance): an older heartbeat must not overwrite it.
        var host = await AddHostAsync("fresh", Start.AddMinutes(10));
        var recorder = new HeartbeatRecorder(_writer, _clock, NullLogger<HeartbeatRecorder>.Instance);

        recorder.Seen(host);
        await recorder.FlushAsync();

        Assert.Equal(Start.AddMinutes(10), await LastSeenAsync(host));
    }

    [Fact]
    public async Task Flush_WithNothingHeard_WritesNothing_AndAHeartbeatIsFlushedOnce()
    {
        var host = await AddHostAsync("quiet", Start);
        var recorder = new HeartbeatRecorder(_writer, _clock, NullLogger<HeartbeatRecorder>.Instance);
        _clock.Advance(TimeSpan.FromSeconds(7));
        recorder.Seen(host);
        await recorder.FlushAsync();

        // Moved back by hand: a second flush with no new heartbeat must leave it alone.
        await using (var db = _database.CreateDbContext())
            await db.Hosts.Where(h => h.Id == host).ExecuteUpdateAsync(set => set.SetProperty(h => h.LastSeen, Start));
        await recorder.FlushAsync();

        Assert.Equal(Start, await LastSeenAsync(host));
    }
}
