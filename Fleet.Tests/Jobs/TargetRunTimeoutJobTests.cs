using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Fleet.Web.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Tests.Jobs;

/// <summary>The 7-day target-run timeout on a real SQLite database, with a clock the test moves.</summary>
public sealed class TargetRunTimeoutJobTests : IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private DbContextOptions<FleetDbContext> _options = null!;
    private DbWriteBatcher _writer = null!;

    private sealed class RecordingKicker : IInvocationKicker
    {
        public List<long> Kicked { get; } = [];
        public void Kick(long invocationId) => Kicked.Add(invocationId);
    }

    private readonly RecordingKicker _kicker = new();

    private sealed class Factory(DbContextOptions<FleetDbContext> options) : IDbContextFactory<FleetDbContext>
    {
        public FleetDbContext CreateDbContext() => new(options);
    }

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _options = new DbContextOptionsBuilder<FleetDbContext>().UseSqlite(_connection).Options;
        await using var db = new FleetDbContext(_options);
        await db.Database.MigrateAsync();
        _writer = new DbWriteBatcher(new Factory(_options), NullLogger<DbWriteBatcher>.Instance);
        await _writer.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync(default);
        await _connection.DisposeAsync();
    }

    private async Task<TargetRun> AddRunAsync(Action<TargetRun> prepare, long invocationId = 1)
    {
        await using var db = new FleetDbContext(_options);
        var run = new TargetRun(Guid.NewGuid(), invocationId, Guid.NewGuid(), Guid.NewGuid(), "web", _clock.GetUtcNow());
        prepare(run);
        db.TargetRuns.Add(run);
        await db.SaveChangesAsync();
        return run;
    }

    [Fact]
    public async Task Run_TimesOutOnlyRunsOlderThanTheTimeoutThatAreNotFinished()
    {
        var stuck = await AddRunAsync(r => r.Queue(_clock.GetUtcNow()));
        var done = await AddRunAsync(r => r.Cancel(_clock.GetUtcNow(), "by test"));
        _clock.Advance(TimeSpan.FromDays(6));
        var young = await AddRunAsync(r => r.Queue(_clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromDays(1.5));
        var config = new ConfigurationBuilder().Build();

        var touched = await new TargetRunTimeoutJob(_writer, new FleetEventStream(), config, _kicker, _clock).RunAsync();

        Assert.Equal(1, touched);
        await using var db = new FleetDbContext(_options);
        Assert.Equal(TargetRunStatus.Timeout, (await db.TargetRuns.SingleAsync(r => r.Id == stuck.Id)).Status);
        Assert.Equal(TargetRunStatus.Cancelled, (await db.TargetRuns.SingleAsync(r => r.Id == done.Id)).Status);
        Assert.Equal(TargetRunStatus.Queued, (await db.TargetRuns.SingleAsync(r => r.Id == young.Id)).Status);
        Assert.Contains("7 days", (await db.TargetRuns.SingleAsync(r => r.Id == stuck.Id)).Reason);
        Assert.Equal([1L], _kicker.Kicked);
    }

    [Fact]
    public async Task Run_InvocationWithItsOwnTimeout_TimesOutItsRunsSooner()
    {
        long invocationId;
        await using (var db = new FleetDbContext(_options))
        {
            var invocation = new Invocation(new InvocationSpec { Script = "sleep 1", TargetRunTimeoutSeconds = 3600 }, "tester", _clock.GetUtcNow());
            db.Invocations.Add(invocation);
            await db.SaveChangesAsync();
            invocationId = invocation.Id;
        }
        var own = await AddRunAsync(r => r.Queue(_clock.GetUtcNow()), invocationId);
        var other = await AddRunAsync(r => r.Queue(_clock.GetUtcNow()), invocationId + 1);
        _clock.Advance(TimeSpan.FromHours(2));

        var touched = await new TargetRunTimeoutJob(_writer, new FleetEventStream(), new ConfigurationBuilder().Build(), _kicker, _clock).RunAsync();

        Assert.Equal(1, touched);
        await using var read = new FleetDbContext(_options);
        var timedOut = await read.TargetRuns.SingleAsync(r => r.Id == own.Id);
        Assert.Equal(TargetRunStatus.Timeout, timedOut.Status);
        Assert.Contains("3600 s", timedOut.Reason);
        Assert.Equal(TargetRunStatus.Queued, (await read.TargetRuns.SingleAsync(r => r.Id == other.Id)).Status);
    }
}
