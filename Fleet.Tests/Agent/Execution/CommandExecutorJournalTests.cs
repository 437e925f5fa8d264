using Fleet.Agent.Execution;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Agent.Execution;

/// <summary>A command id runs at most once: across repeats from the server and across agent restarts.</summary>
public sealed class CommandExecutorJournalTests : IDisposable
{
    private readonly ExecutorTestContext _context = new();

    public void Dispose() => _context.Dispose();

    private string CountingScript(string counter, string then = "exit 4") => $"echo run >> '{counter}'\n{then}";

    [Fact]
    public async Task RepeatedId_AfterFinish_ReplaysTheResultWithoutRunningAgain()
    {
        var counter = _context.PathIn("runs");
        var request = ExecutorTestContext.Script(CountingScript(counter));
        var executor = _context.NewExecutor();
        await executor.HandleAsync(request);

        await executor.HandleAsync(request);
        await _context.NewExecutor().HandleAsync(request);

        var results = _context.Reporter.Finished(request.CommandId);
        Assert.Equal(3, results.Count);
        Assert.Equal(CommandStatus.Failure, results[0].Outcome);
        Assert.Equal(4, results[0].ExitCode);
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Single(File.ReadAllLines(counter));
    }

    [Fact]
    public async Task RepeatedId_WhileRunning_IsIgnored()
    {
        var counter = _context.PathIn("runs");
        var request = ExecutorTestContext.Script(CountingScript(counter, "sleep 30"), timeoutSeconds: 60);
        var executor = _context.NewExecutor();
        var first = executor.HandleAsync(request);
        await _context.Reporter.WhenStarted(request.CommandId);

        await executor.HandleAsync(request).WaitAsync(TimeSpan.FromSeconds(2));

        Assert.Empty(_context.Reporter.Finished(request.CommandId));
        await executor.CancelAsync(request.CommandId);
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CommandStatus.Cancelled, Assert.Single(_context.Reporter.Finished(request.CommandId)).Outcome);
        Assert.Single(File.ReadAllLines(counter));
    }

    [Fact]
    public async Task RepeatedId_WhileItsResultIsOnItsWay_NeitherRunsAgainNorSaysTheOutcomeIsUnknown()
    {
        var counter = _context.PathIn("runs");
        var request = ExecutorTestContext.Script(CountingScript(counter));
        var held = new HeldReporter();
        var executor = new CommandExecutor(_context.StateDir.FullName, new SandboxPowerProvider(_context.StateDir.FullName, (_, _) => Task.CompletedTask), held);
        var first = executor.HandleAsync(request);
        await held.FirstResultSent.WaitAsync(TimeSpan.FromSeconds(10));

        // The server has not answered yet: the command is either still held as running or already journalled.
        await executor.HandleAsync(request).WaitAsync(TimeSpan.FromSeconds(5));
        held.Answer();
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        await executor.HandleAsync(request).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Single(File.ReadAllLines(counter));
        Assert.InRange(held.Results.Count, 2, 3);
        Assert.All(held.Results, r => Assert.Equal((CommandStatus.Failure, (int?)4, (string?)null), (r.Outcome, r.ExitCode, r.Error)));
    }

    [Fact]
    public async Task StartedButNotFinished_InAPreviousProcess_ReportsRestartedFailureWithoutRunning()
    {
        var counter = _context.PathIn("runs");
        var request = ExecutorTestContext.Script(CountingScript(counter, "exit 0"));
        var startedBefore = DateTimeOffset.UtcNow.AddMinutes(-3);
        new CommandJournal(_context.PathIn("commands")).RecordStarted(request.CommandId, startedBefore);
        var executor = _context.NewExecutor();

        var result = await _context.RunAsync(executor, request);

        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Equal("The agent restarted while this command was running; its outcome is unknown.", result.Error);
        Assert.Equal(startedBefore, result.StartedAt);
        Assert.False(File.Exists(counter));
        Assert.Equal(result, new CommandJournal(_context.PathIn("commands")).Read(request.CommandId)?.Result);
    }

    [Fact]
    public void Construction_PrunesJournalEntriesOlderThanSevenDays()
    {
        var now = new DateTimeOffset(2030, 1, 10, 12, 0, 0, TimeSpan.Zero);
        var journal = new CommandJournal(_context.PathIn("commands"));
        var old = Guid.NewGuid();
        var recent = Guid.NewGuid();
        var oldButFinishedRecently = Guid.NewGuid();
        journal.RecordFinished(new CommandResultMessage(old, CommandStatus.Success, 0, null, now.AddDays(-9), now.AddDays(-8)));
        journal.RecordStarted(recent, now.AddDays(-1));
        journal.RecordFinished(new CommandResultMessage(oldButFinishedRecently, CommandStatus.Success, 0, null, now.AddDays(-8), now.AddDays(-6)));

        _context.NewExecutor(clock: new ManualClock(now));

        Assert.Null(journal.Read(old));
        Assert.NotNull(journal.Read(recent));
        Assert.NotNull(journal.Read(oldButFinishedRecently));
    }

    [Fact]
    public void Journal_DamagedEntry_ReadsAsStartedWithUnknownOutcome()
    {
        var journal = new CommandJournal(_context.PathIn("commands"));
        var id = Guid.NewGuid();
        File.WriteAllText(Path.Combine(_context.PathIn("commands"), $"{id}.json"), "{\"Comm");

        var entry = journal.Read(id);

        Assert.NotNull(entry);
        Assert.Null(entry.Result);
    }
}
