using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Data;

/// <summary>Set-based inserts and updates on SQLite; <see cref="PostgresDatabaseTests"/> runs the same checks on PostgreSQL.</summary>
public sealed class BulkWritesTests : IAsyncLifetime
{
    private readonly InMemoryFleetDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public Task Insert_MoreRowsThanOneStatementHolds_StoresEveryColumnAsTheModelMapsIt() => InsertRoundTripAsync(_database.CreateDbContext);

    [Fact]
    public Task Save_WritesTheRowsThatChanged_AndLeavesOtherRowsAsOthersLeftThem() => SaveOnlyChangedRowsAsync(_database.CreateDbContext);

    [Fact]
    public async Task Insert_LeavesAGeneratedKeyToTheDatabase()
    {
        var commandId = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
        await using (var db = _database.CreateDbContext())
            await BulkWrites.InsertAsync(db, [new OutputChunk(commandId, 1, OutputStream.Stdout, "one\n", at), new OutputChunk(commandId, 2, OutputStream.Stderr, "two\n", at)]);

        await using var read = _database.CreateDbContext();
        var stored = await read.OutputChunks.AsNoTracking().Where(c => c.CommandId == commandId).OrderBy(c => c.Sequence).ToListAsync();
        Assert.Equal(["one\n", "two\n"], stored.Select(c => c.Text));
        Assert.Equal([OutputStream.Stdout, OutputStream.Stderr], stored.Select(c => c.Stream));
        Assert.Equal(2, stored.Select(c => c.Id).Distinct().Count());
    }

    /// <summary>2,500 commands (three statements' worth) with every kind of column, set and unset, read back through EF Core.</summary>
    internal static async Task InsertRoundTripAsync(Func<FleetDbContext> newContext)
    {
        var at = new DateTimeOffset(2026, 11, 30, 3, 4, 5, TimeSpan.FromHours(2));
        var commands = Enumerable.Range(0, 2_500).Select(i =>
        {
            var command = new Command(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), CommandKind.Script, $"echo {i}", i % 2 == 0 ? "root" : null, 60 + i, at.AddSeconds(i));
            if (i % 3 == 0 && command.Start(at.AddSeconds(i))) command.Finish(CommandStatus.Failure, i, $"exit {i}", at.AddSeconds(i + 1));
            return command;
        }).ToList();
        await using (var db = newContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await BulkWrites.InsertAsync(db, commands);
            await transaction.CommitAsync();
        }

        await using var read = newContext();
        var stored = await read.Commands.AsNoTracking().ToDictionaryAsync(c => c.Id);
        Assert.Equal(commands.Count, stored.Count);
        foreach (var command in commands)
        {
            var row = stored[command.Id];
            Assert.Equal((command.TargetRunId, command.HostId, command.Script, command.EffectiveUser, command.TimeoutSeconds),
                (row.TargetRunId, row.HostId, row.Script, row.EffectiveUser, row.TimeoutSeconds));
            Assert.Equal((command.Status, command.ExitCode, command.Error), (row.Status, row.ExitCode, row.Error));
            Assert.Equal(command.CreatedAt.UtcDateTime, row.CreatedAt.UtcDateTime);
            Assert.Equal(command.FinishedAt?.UtcDateTime, row.FinishedAt?.UtcDateTime);
        }
    }

    /// <summary>
    /// Three commands loaded untracked: one is finished here, one is started meanwhile by another writer. Saving writes the
    /// finished one and does not put the other back to what was loaded.
    /// </summary>
    internal static async Task SaveOnlyChangedRowsAsync(Func<FleetDbContext> newContext)
    {
        var at = new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        await using (var db = newContext())
        {
            db.Commands.AddRange(ids.Select(id => new Command(id, Guid.NewGuid(), Guid.NewGuid(), CommandKind.Script, "true", null, 60, at)));
            await db.SaveChangesAsync();
        }

        await using (var db = newContext())
        {
            var loaded = await db.Commands.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
            var changes = BulkWrites.Track(db, loaded.Values);
            await using (var other = newContext())
            {
                var elsewhere = await other.Commands.SingleAsync(c => c.Id == ids[1]);
                elsewhere.Start(at.AddSeconds(1));
                await other.SaveChangesAsync();
            }
            loaded[ids[0]].Finish(CommandStatus.Success, 0, null, at.AddSeconds(2));

            Assert.Equal(1, await changes.SaveAsync());
        }

        await using var read = newContext();
        var stored = await read.Commands.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        Assert.Equal((CommandStatus.Success, 0), (stored[ids[0]].Status, stored[ids[0]].ExitCode));
        Assert.Equal(at.AddSeconds(2).UtcDateTime, stored[ids[0]].FinishedAt?.UtcDateTime);
        Assert.Equal(CommandStatus.InProgress, stored[ids[1]].Status);
        Assert.Equal(CommandStatus.Queued, stored[ids[2]].Status);
    }
}
