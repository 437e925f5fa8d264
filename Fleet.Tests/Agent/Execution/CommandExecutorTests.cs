using System.Diagnostics;
using System.Runtime;
using Fleet.Agent.Execution;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Agent.Execution;

/// <summary>Script commands run as real processes on the machine running the tests.</summary>
public sealed class CommandExecutorTests : IDisposable
{
    private readonly ExecutorTestContext _context = new();
    private readonly CommandExecutor _executor;

    public CommandExecutorTests() => _executor = _context.NewExecutor();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Script_ExitZero_ReportsSuccessWithStdout()
    {
        var request = ExecutorTestContext.Script("echo hello\nprintf 'no newline'");

        var result = await _context.RunAsync(_executor, request);

        Assert.Equal(CommandStatus.Success, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Error);
        Assert.True(result.FinishedAt >= result.StartedAt);
        Assert.Equal("hello\nno newline", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
    }

    [Fact]
    public async Task Script_Short_IsReportedByOneResultCarryingItsOutput()
    {
        // However slow this machine is, the command stays "short": the window that would make it long never ends.
        var executor = _context.NewExecutor(clock: new TimersNeverFire());
        var request = ExecutorTestContext.Script("echo out\necho err >&2");

        var result = await _context.RunAsync(executor, request);

        Assert.Equal(["finished"], _context.Reporter.Events(request.CommandId));
        Assert.NotNull(result.Output);
        // Two pipes read side by side: which of the two lines was read first is up to the scheduler.
        Assert.Equal([1, 2], result.Output.Select(c => c.Sequence));
        Assert.Equal([(OutputStream.Stdout, "out\n"), (OutputStream.Stderr, "err\n")], result.Output.Select(c => (c.Stream, c.Text)).OrderBy(c => c.Stream));
    }

    [Fact]
    public async Task Script_Long_ReportsStartedStreamsOutputAndSendsTheRestWithTheResult()
    {
        var go = _context.PathIn("go");
        var request = ExecutorTestContext.Script($"echo early\nwhile [ ! -e '{go}' ]; do sleep 0.05; done\necho late");
        var run = _executor.HandleAsync(request);
        await _context.Reporter.WhenStarted(request.CommandId);
        await _context.Reporter.WhenOutput(request.CommandId);

        File.WriteAllText(go, "");
        await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(["started", "output", "finished"], _context.Reporter.Events(request.CommandId));
        var result = Assert.Single(_context.Reporter.Finished(request.CommandId));
        Assert.Equal("late\n", Assert.Single(result.Output!).Text);
        Assert.Equal("early\nlate\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
    }

    [Fact]
    public async Task Script_NonZeroExit_ReportsFailureWithExitCode()
    {
        var result = await _context.RunAsync(_executor, ExecutorTestContext.Script("exit 3"));

        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task Script_Stderr_IsCapturedAsStderrChunksNumberedWithStdout()
    {
        var request = ExecutorTestContext.Script("echo out\nsleep 0.5\necho err >&2\nsleep 0.5\necho more");

        await _context.RunAsync(_executor, request);

        Assert.Equal("out\nmore\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
        Assert.Equal("err\n", _context.Reporter.Text(request.CommandId, OutputStream.Stderr));
        var chunks = _context.Reporter.Chunks(request.CommandId);
        Assert.Equal(Enumerable.Range(1, chunks.Count), chunks.Select(c => c.Sequence));
        Assert.Equal([OutputStream.Stdout, OutputStream.Stderr, OutputStream.Stdout], chunks.Select(c => c.Stream));
    }

    [Fact]
    public async Task Script_WithShebang_RunsWithThatInterpreter()
    {
        var request = ExecutorTestContext.Script("#!/bin/bash\necho \"${BASH_VERSION:+bash}\"");

        await _context.RunAsync(_executor, request);

        Assert.Equal("bash\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
    }

    [Fact]
    public async Task Script_ReadingStdin_GetsEndOfFileInsteadOfHanging()
    {
        var request = ExecutorTestContext.Script("read line\necho \"read:$? $line\"", timeoutSeconds: 5);

        var result = await _context.RunAsync(_executor, request);

        Assert.Equal(CommandStatus.Success, result.Outcome);
        Assert.Equal("read:1 \n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
    }

    [Fact]
    public async Task Script_Environment_HasTheCommandIdButNotTheAgentSettings()
    {
        Environment.SetEnvironmentVariable("FLEET_AGENT_ENROLLMENTTOKEN_TEST", "secret");
        var request = ExecutorTestContext.Script("echo \"${FLEET_AGENT_ENROLLMENTTOKEN_TEST:-none} $FLEET_COMMAND_ID\"");

        await _context.RunAsync(_executor, request);

        Assert.Equal($"none {request.CommandId}\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
    }

    [Fact]
    public async Task Timeout_KillsTheProcessTreeAndReportsTimeout()
    {
        var pidFile = _context.PathIn("sleep.pid");
        var request = ExecutorTestContext.Script($"sleep 30 &\necho $! > '{pidFile}'\nwait", timeoutSeconds: 1);
        var clock = Stopwatch.StartNew();

        var result = await _context.RunAsync(_executor, request);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        Assert.Equal(CommandStatus.Timeout, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.Equal("Killed after 1 s (execution timeout)", result.Error);
        var sleepPid = int.Parse(File.ReadAllText(pidFile).Trim());
        await Eventually.Until(() => !ExecutorTestContext.IsAlive(sleepPid), "the background sleep to die", TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Cancel_WhileRunning_KillsTheProcessTreeAndReportsCancelled()
    {
        var pidFile = _context.PathIn("sleep.pid");
        var request = ExecutorTestContext.Script($"sleep 30 &\necho $! > '{pidFile}'\nwait", timeoutSeconds: 60);
        var handling = _executor.HandleAsync(request);
        await _context.Reporter.WhenStarted(request.CommandId);
        await Eventually.Until(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), "the script to write its pid", TimeSpan.FromSeconds(5));

        await _executor.CancelAsync(request.CommandId);
        await handling.WaitAsync(TimeSpan.FromSeconds(5));

        var result = Assert.Single(_context.Reporter.Finished(request.CommandId));
        Assert.Equal(CommandStatus.Cancelled, result.Outcome);
        Assert.Equal("Cancelled by the server", result.Error);
        var sleepPid = int.Parse(File.ReadAllText(pidFile).Trim());
        await Eventually.Until(() => !ExecutorTestContext.IsAlive(sleepPid), "the background sleep to die", TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Cancel_UnknownOrFinishedCommand_ChangesNothing()
    {
        var request = ExecutorTestContext.Script("true");
        await _context.RunAsync(_executor, request);

        await _executor.CancelAsync(request.CommandId);
        await _executor.CancelAsync(Guid.NewGuid());

        Assert.Equal(CommandStatus.Success, Assert.Single(_context.Reporter.Finished(request.CommandId)).Outcome);
    }

    [Fact]
    public async Task Output_HundredThousandLines_ArriveInOrderInFewBatches()
    {
        var request = ExecutorTestContext.Script("seq 1 100000");

        await _context.RunAsync(_executor, request);

        var expected = string.Join("", Enumerable.Range(1, 100_000).Select(i => $"{i}\n"));
        Assert.Equal(expected, _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
        var chunks = _context.Reporter.Chunks(request.CommandId);
        Assert.Equal(Enumerable.Range(1, chunks.Count), chunks.Select(c => c.Sequence));
        Assert.InRange(_context.Reporter.Batches(request.CommandId).Count, 1, 100);
    }

    [Fact]
    public async Task Output_OneHugeLine_ArrivesWholeInBoundedBatches()
    {
        var request = ExecutorTestContext.Script("head -c 3000000 /dev/zero | tr '\\0' x");

        await _context.RunAsync(_executor, request);

        Assert.Equal(new string('x', 3_000_000), _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
        var batches = _context.Reporter.Batches(request.CommandId);
        Assert.True(batches.Count > 1);
        Assert.All(batches, b => Assert.InRange(b.Chunks.Sum(c => c.Text.Length), 1, 256 * 1024));
    }

    [Fact]
    public async Task EffectiveUser_WhenAgentIsRoot_RunsAsThatUser()
    {
        if (Environment.UserName != "root") return; // switching users needs root; CI runs as root
        var request = ExecutorTestContext.Script("id -un", user: "nobody");

        var result = await _context.RunAsync(_executor, request);

        Assert.Equal(CommandStatus.Success, result.Outcome);
        Assert.Equal("nobody\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
    }

    [Fact]
    public async Task EffectiveUser_SameAsTheAgent_RunsDirectly()
    {
        var request = ExecutorTestContext.Script("id -un", user: Environment.UserName);

        var result = await _context.RunAsync(_executor, request);

        Assert.Equal(CommandStatus.Success, result.Outcome);
        Assert.Equal($"{Environment.UserName}\n", _context.Reporter.Text(request.CommandId, OutputStream.Stdout));
    }

    [Theory]
    [InlineData("nobody; touch /tmp/x")]
    [InlineData("-rf")]
    [InlineData("Root")]
    public async Task EffectiveUser_InvalidName_FailsWithoutRunning(string user)
    {
        var marker = _context.PathIn("ran");
        var request = ExecutorTestContext.Script($"touch '{marker}'", user: user);

        var result = await _context.RunAsync(_executor, request);

        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Equal($"'{user}' is not a valid user name.", result.Error);
        Assert.False(File.Exists(marker));
        Assert.DoesNotContain("started", _context.Reporter.Events(request.CommandId));
    }

    [Fact]
    public async Task EffectiveUser_UnknownUser_FailsWithAClearError()
    {
        if (Environment.UserName != "root") return; // without root the executor refuses any other user before looking it up
        var marker = _context.PathIn("ran");
        var request = ExecutorTestContext.Script($"touch '{marker}'", user: "fleet_no_such_user");

        var result = await _context.RunAsync(_executor, request);

        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.StartsWith("Cannot run as 'fleet_no_such_user': ", result.Error);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Scripts_WhenTheyEnd_LeaveNoPipeOfTheirsOpen()
    {
        // A collection would let finalizers close leaked pipes and hide the leak: none may run while the commands do. Another
        // test allocating past the budget ends the region early; the check can then only pass more easily, never fail wrongly.
        var noCollection = GC.TryStartNoGCRegion(64 * 1024 * 1024);
        var before = OpenPipes();
        try
        {
            for (var i = 0; i < 30; i++)
                Assert.Equal(CommandStatus.Success, (await _context.RunAsync(_executor, ExecutorTestContext.Script("echo out; echo err >&2"))).Outcome);
        }
        finally
        {
            if (noCollection && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }

        // Two pipes a command (stdout, stderr) left open would be 60; other tests' processes may hold a few meanwhile.
        Assert.InRange(OpenPipes() - before, int.MinValue, 12);
    }

    [Fact]
    public async Task ProcessSlot_IsGivenBackWhenTheProcessExits_NotWhenItsResultIsAnswered()
    {
        var held = new HeldReporter();
        using var slots = new SemaphoreSlim(1);
        var executor = new CommandExecutor(_context.StateDir.FullName, new SandboxPowerProvider(_context.StateDir.FullName, (_, _) => Task.CompletedTask), held,
            processSlots: slots);
        var first = executor.HandleAsync(ExecutorTestContext.Script("exit 3"));
        await held.FirstResultSent.WaitAsync(TimeSpan.FromSeconds(10));

        // The server has not answered the first result: with the one slot still held, this would wait for that answer.
        await executor.HandleAsync(ExecutorTestContext.Script("exit 4")).WaitAsync(TimeSpan.FromSeconds(10));
        held.Answer();
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([3, 4], held.Results.Select(r => r.ExitCode));
        Assert.Equal(1, slots.CurrentCount);
    }

    private static int OpenPipes() => new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
        .Count(fd => fd.LinkTarget?.StartsWith("pipe:", StringComparison.Ordinal) == true);

    /// <summary>Real time, but no timer ever fires: no window, interval or timeout elapses.</summary>
    private sealed class TimersNeverFire : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new Never();

        private sealed class Never : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
