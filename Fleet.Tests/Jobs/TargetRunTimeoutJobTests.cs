using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Fleet.Web.Engine;
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

    private async Task<TargetRun> AddRunAsync(Action<TargetRun> prepare)
    {
        await using var db = new FleetDbContext(_options);
        var run = new TargetRun(Guid.NewGuid(), 1, Guid.NewGuid(), Guid.NewGuid(), "web", _clock.GetUtcNow());
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

        var touched = await new TargetRunTimeoutJob(_writer, new FleetEventStream(), config, _clock).RunAsync();

        Assert.Equal(1, touched);
        await using var db = new FleetDbContext(_options);
        Assert.Equal(TargetRunStatus.Timeout, (await db.TargetRuns.SingleAsync(r => r.Id == stuck.Id)).Status);
        Assert.Equal(TargetRunStatus.Cancelled, (await db.TargetRuns.SingleAsync(r => r.Id == done.Id)).Status);
        Assert.Equal(TargetRunStatus.Queued, (await db.TargetRuns.SingleAsync(r => r.Id == young.Id)).Status);
        Assert.Contains("7 days", (await db.TargetRuns.SingleAsync(r => r.Id == stuck.Id)).Reason);
    }
}
