using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Npgsql;

namespace Fleet.Tests.Engine;

/// <summary>The PostgreSQL cluster lock: two holders (as two server instances would be) on one database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterLockTests(PostgresServer postgres)
{
    [Fact]
    public async Task TryRun_WhileAnotherHolderRunsTheSameWork_IsSkipped_AndRunsOnceItIsReleased()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var first = new PostgresClusterLock(connectionString);
        var second = new PostgresClusterLock(connectionString);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = first.TryRunAsync("sweep", async _ =>
        {
            holding.SetResult();
            await release.Task;
        }, default);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var secondRuns = 0;
        Assert.False(await second.TryRunAsync("sweep", _ => { secondRuns++; return Task.CompletedTask; }, default));
        Assert.Equal(0, secondRuns);
        Assert.True(await second.TryRunAsync("another sweep", _ => Task.CompletedTask, default));

        release.SetResult();
        Assert.True(await held);
        Assert.True(await second.TryRunAsync("sweep", _ => { secondRuns++; return Task.CompletedTask; }, default));
        Assert.Equal(1, secondRuns);
    }

    [Fact]
    public async Task RunForInvocation_TwoHoldersAtOnce_TheSecondWaitsForTheFirst()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var first = new PostgresClusterLock(connectionString);
        var second = new PostgresClusterLock(connectionString);
        var order = new List<string>();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRun = first.RunForInvocationAsync(42, async () =>
        {
            lock (order) order.Add("first in");
            holding.SetResult();
            await release.Task;
            lock (order) order.Add("first out");
            return 1;
        }, default);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var secondRun = second.RunForInvocationAsync(42, () =>
        {
            lock (order) order.Add("second in");
            return Task.FromResult(2);
        }, default);
        // The second holder is seen waiting on the lock in PostgreSQL itself, not merely not done yet.
        await Eventually.Until(() => WaitingAdvisoryLocksAsync(connectionString), n => n >= 1, "the second holder to wait for the advisory lock");
        lock (order) Assert.Equal(new[] { "first in" }, order);
        // Another invocation is not held up.
        Assert.Equal(3, await second.RunForInvocationAsync(43, () => Task.FromResult(3), default));

        release.SetResult();
        Assert.Equal(1, await firstRun);
        Assert.Equal(2, await secondRun.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(new[] { "first in", "first out", "second in" }, order);
    }

    [Fact]
    public async Task LocalLock_AlwaysRunsTheWork()
    {
        var local = new LocalClusterLock();
        var runs = 0;
        Assert.True(await local.TryRunAsync("sweep", _ => { runs++; return Task.CompletedTask; }, default));
        Assert.Equal(7, await local.RunForInvocationAsync(1, () => Task.FromResult(7), default));
        Assert.Equal(1, runs);
    }

    private static async Task<long> WaitingAdvisoryLocksAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
