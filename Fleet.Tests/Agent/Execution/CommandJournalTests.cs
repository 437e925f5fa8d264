using Fleet.Agent.Execution;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Agent.Execution;

/// <summary>The journal keeps a finished command's output and result until the server acknowledges them, bounded to the last megabyte.</summary>
public sealed class CommandJournalTests : IDisposable
{
    private readonly ExecutorTestContext _context = new();

    public void Dispose() => _context.Dispose();

    private CommandJournal Journal() => new(_context.PathIn("commands"));

    private static CommandResultMessage Success(Guid id) => new(id, CommandStatus.Success, 0, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public void OutputOverOneMegabyte_KeepsTheLastMegabyteBehindATruncationNote()
    {
        var journal = Journal();
        var id = Guid.NewGuid();
        var line = new string('a', 99_999) + "\n";
        for (var i = 1; i <= 30; i++) journal.AppendOutput(new CommandOutputBatch(id, [new OutputChunkMessage(i, OutputStream.Stdout, line, DateTimeOffset.UtcNow)]));

        var kept = journal.ReadOutput(id);
        Assert.Equal(0, kept[0].Sequence);
        Assert.Equal(CommandJournal.TruncatedNote, kept[0].Text);
        var output = kept.Skip(1).ToList();
        Assert.Equal(10, output.Count);
        Assert.Equal(Enumerable.Range(21, 10), output.Select(c => c.Sequence));
        Assert.True(output.Sum(c => c.Text.Length) <= CommandJournal.MaxReplayBytes);
        // Bounded on disk too, not only in what is replayed.
        Assert.True(new FileInfo(Path.Combine(_context.PathIn("commands"), $"{id:D}.out")).Length < 3 * CommandJournal.MaxReplayBytes);
    }

    [Fact]
    public void SmallOutput_IsKeptWholeWithoutANote()
    {
        var journal = Journal();
        var id = Guid.NewGuid();
        journal.AppendOutput(new CommandOutputBatch(id, [new OutputChunkMessage(1, OutputStream.Stdout, "one\n", DateTimeOffset.UtcNow),
            new OutputChunkMessage(2, OutputStream.Stderr, "two\n", DateTimeOffset.UtcNow)]));
        Assert.Equal(["one\n", "two\n"], journal.ReadOutput(id).Select(c => c.Text));
    }

    [Fact]
    public void Acknowledged_IsNoLongerReplayedAndItsOutputIsGone()
    {
        var journal = Journal();
        var id = Guid.NewGuid();
        journal.RecordStarted(id, DateTimeOffset.UtcNow);
        journal.AppendOutput(new CommandOutputBatch(id, [new OutputChunkMessage(1, OutputStream.Stdout, "x\n", DateTimeOffset.UtcNow)]));
        Assert.Empty(journal.Unacknowledged());
        journal.RecordFinished(Success(id));
        Assert.Equal(id, Assert.Single(journal.Unacknowledged()).CommandId);

        journal.MarkAcknowledged(id);
        Assert.Empty(journal.Unacknowledged());
        Assert.Empty(journal.ReadOutput(id));
        Assert.NotNull(journal.Read(id)!.Result);
    }

    [Fact]
    public async Task ResultNotDelivered_IsReplayedWithItsOutputByTheNextExecutor()
    {
        var offline = new OfflineReporter();
        var request = ExecutorTestContext.Script("echo kept-for-later; exit 3");
        await new CommandExecutor(_context.StateDir.FullName, new SandboxPowerProvider(_context.StateDir.FullName, (_, _) => Task.CompletedTask), offline)
            .HandleAsync(request).ContinueWith(_ => { }, TaskScheduler.Default);

        var executor = _context.NewExecutor();
        await executor.ReplayUnacknowledgedAsync();

        var batch = Assert.Single(_context.Reporter.Batches(request.CommandId));
        Assert.True(batch.Replayed);
        Assert.Equal("kept-for-later\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
        Assert.Equal(["output", "finished"], _context.Reporter.Events(request.CommandId));
        Assert.Equal(3, Assert.Single(_context.Reporter.Finished(request.CommandId)).ExitCode);
        Assert.Empty(Journal().Unacknowledged());

        await executor.ReplayUnacknowledgedAsync();
        Assert.Single(_context.Reporter.Finished(request.CommandId));
    }

    /// <summary>A connection that is down: every report fails, as the hub client's would.</summary>
    private sealed class OfflineReporter : ICommandReporter
    {
        public Task StartedAsync(Guid commandId) => Task.FromException(new InvalidOperationException("offline"));
        public Task OutputAsync(CommandOutputBatch batch) => Task.FromException(new InvalidOperationException("offline"));
        public Task FinishedAsync(CommandResultMessage result) => Task.FromException(new InvalidOperationException("offline"));
    }
}
