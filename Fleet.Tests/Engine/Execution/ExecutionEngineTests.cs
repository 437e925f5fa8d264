using Fleet.Agent.Execution;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.Execution;

/// <summary>Real agents running real processes through the engine.</summary>
public sealed class ExecutionEngineTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Command_ExitZero_SucceedsWithItsOutput()
    {
        await _server.StartAcceptedAgentAsync("exec-ok");
        var id = await _server.RunAsync("echo hello from $(hostname -s 2>/dev/null || echo fleet)", "name = exec-ok");
        var result = (await _server.WaitForEndAsync(id)).Single();
        Assert.Equal(TargetRunStatus.Success, result.Status);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("hello from", result.Stdout);
        var detail = await _server.Get<IInvocationService>().GetAsync(id);
        Assert.Equal("succeeded", detail!.Summary.StatusLabel);
    }

    [Fact]
    public async Task NewInvocation_OnAnInstanceAloneOnItsDatabase_IsDispatchedByItsCreation_WithinItsConcurrency()
    {
        string[] hostnames = ["create-1", "create-2", "create-3"];
        foreach (var hostname in hostnames) await _server.StartAcceptedAgentAsync(hostname);
        // No engine pass from here on: only the creation itself can send anything.
        await _server.Get<ExecutionEngine>().StopAsync(CancellationToken.None);

        var id = await _server.RunAsync("echo sent at creation", "name ~ create-", concurrency: 2);

        await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            return await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == id).OrderBy(r => r.Position).Select(r => r.Status).ToListAsync();
        }, s => s.SequenceEqual([TargetRunStatus.Success, TargetRunStatus.Success, TargetRunStatus.Queued]), "the first two runs to succeed");
        await using var read = _server.Db();
        Assert.Equal(2, await read.Commands.CountAsync(c => read.TargetRuns.Any(r => r.InvocationId == id && r.Id == c.TargetRunId)));
    }

    [Fact]
    public async Task ShortCommand_ReportedByItsResultAlone_RunStillPassesThroughRunning_AndKeepsItsOutput()
    {
        await _server.StartAcceptedAgentAsync("exec-short");
        var id = await _server.RunAsync("echo one; echo two >&2", "name = exec-short");
        var result = (await _server.WaitForEndAsync(id)).Single();

        Assert.Equal(TargetRunStatus.Success, result.Status);
        Assert.Equal("one\n", result.Stdout);
        Assert.Equal("two\n", result.Stderr);
        await using var db = _server.Db();
        var run = await db.TargetRuns.SingleAsync(r => r.Id == result.TargetRunId);
        Assert.Equal(["queued", "processing", "dispatched", "running", "complete", "success"], run.History.Select(h => h.To).TakeLast(6));
        var command = await db.Commands.SingleAsync(c => c.Id == run.CommandId);
        Assert.NotNull(command.StartedAt);
        Assert.Equal(CommandStatus.Success, command.Status);
    }

    [Fact]
    public async Task Command_NonZeroExit_FailsWithExitCodeAndStderr()
    {
        await _server.StartAcceptedAgentAsync("exec-fail");
        var id = await _server.RunAsync("echo broken >&2; exit 3", "name = exec-fail");
        var result = (await _server.WaitForEndAsync(id)).Single();
        Assert.Equal(TargetRunStatus.Failure, result.Status);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("broken\n", result.Stderr);
        Assert.Equal("failed", (await _server.Get<IInvocationService>().GetAsync(id))!.Summary.StatusLabel);
    }

    [Fact]
    public async Task Command_PastExecutionTimeout_IsKilledAndTheRunFails()
    {
        await _server.StartAcceptedAgentAsync("exec-slow");
        var id = await _server.RunAsync("sleep 30", "name = exec-slow", timeoutSeconds: 1);
        var result = (await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(20))).Single();
        Assert.Equal(TargetRunStatus.Failure, result.Status);
        await using var db = _server.Db();
        var command = await db.Commands.AsNoTracking().SingleAsync(c => c.TargetRunId == result.TargetRunId);
        Assert.Equal(CommandStatus.Timeout, command.Status);
        Assert.Contains("timeout", result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cancel_RunningCommand_KillsItAndRecordsWhoCancelled()
    {
        await _server.StartAcceptedAgentAsync("exec-cancel");
        var id = await _server.RunAsync("sleep 30", "name = exec-cancel", timeoutSeconds: 60);
        await Eventually.Until(() => _server.RunStatusAsync(id), s => s == TargetRunStatus.Running, "the command to run");
        await _server.Get<IInvocationService>().CancelAsync(id, force: false, by: "alice");
        var result = (await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(15))).Single();
        Assert.Equal(TargetRunStatus.Failure, result.Status);
        await using var db = _server.Db();
        var command = await db.Commands.AsNoTracking().SingleAsync(c => c.TargetRunId == result.TargetRunId);
        Assert.True(command.Status == CommandStatus.Cancelled, $"{command.Status}: {command.Error} exit {command.ExitCode}");
    }

    [Fact]
    public async Task OfflineHost_PastTimeToPickup_FailsWithThatReason()
    {
        var agent = await _server.StartAcceptedAgentAsync("exec-offline");
        await agent.StopAsync();
        var id = await _server.RunAsync("true", "name = exec-offline", timeToPickup: 1);
        var result = (await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(15))).Single();
        Assert.Equal(TargetRunStatus.Failure, result.Status);
        Assert.Contains("did not pick up", result.Reason);
    }

    [Fact]
    public async Task OfflineHost_GetsItsCommandWhenItReconnects()
    {
        var agent = await _server.StartAcceptedAgentAsync("exec-later");
        await agent.StopAsync();
        var id = await _server.RunAsync("echo delivered", "name = exec-later");
        await Eventually.Until(() => _server.RunStatusAsync(id), s => s == TargetRunStatus.Dispatched, "the run to wait, dispatched, for its host");
        // Without a time to pickup, neither sweep that ends commands of absent hosts may touch it.
        await _server.Get<ExecutionEngine>().SweepDeadlinesAsync();
        await _server.Get<LostAgentSweep>().RunAsync();
        Assert.Equal(TargetRunStatus.Dispatched, await _server.RunStatusAsync(id));
        _server.StartAgent("machine-exec-later", "exec-later", new FixedInventorySource("exec-later"), enrollmentToken: null, identity: agent.Identity);
        var result = (await _server.WaitForEndAsync(id)).Single();
        Assert.Equal(TargetRunStatus.Success, result.Status);
        Assert.Equal("delivered\n", result.Stdout);
    }

    [Fact]
    public async Task AgentKilledMidCommand_RunEndsWithAReasonAfterItReturns()
    {
        var agent = await _server.StartAcceptedAgentAsync("exec-killed");
        // Long enough that the first agent's command is still running when the second agent starts.
        var id = await _server.RunAsync("sleep 30", "name = exec-killed", timeoutSeconds: 60);
        await Eventually.Until(() => _server.RunStatusAsync(id), s => s == TargetRunStatus.Running, "the command to run");
        await agent.StopAsync();
        await agent.Agent.DisposeAsync();
        // A new agent process on the same state dir: its journal shows the command started but never finished here.
        _server.StartAgent("machine-exec-killed", "exec-killed", new FixedInventorySource("exec-killed"), enrollmentToken: null, identity: agent.Identity);
        var result = (await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(30))).Single();
        Assert.Equal(TargetRunStatus.Failure, result.Status);
        Assert.Equal(CommandExecutor.RestartedError, result.Reason);
        Assert.Null(result.ExitCode);
    }

    [Fact]
    public async Task ConcurrencyLevel_RunsAtMostThatManyAtOnce()
    {
        foreach (var name in new[] { "conc-a", "conc-b", "conc-c" }) await _server.StartAcceptedAgentAsync(name);
        var id = await _server.RunAsync("sleep 1", "name ~ conc-", concurrency: 1);
        var maxRunning = 0;
        var watch = Task.Run(async () =>
        {
            while (true)
            {
                await using var db = _server.Db();
                var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == id).Select(r => r.Status).ToListAsync();
                maxRunning = Math.Max(maxRunning, runs.Count(s => s is TargetRunStatus.Dispatched or TargetRunStatus.Running or TargetRunStatus.Processing));
                if (runs.All(s => s.IsFinal())) return;
                await Task.Delay(20);
            }
        });
        var results = await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(30));
        await watch;
        Assert.Equal(3, results.Count(r => r.Status == TargetRunStatus.Success));
        Assert.Equal(1, maxRunning);
    }

    [Fact]
    public async Task Rerun_FailedOnly_TargetsOnlyTheFailedHosts()
    {
        await _server.StartAcceptedAgentAsync("rerun-good");
        await _server.StartAcceptedAgentAsync("rerun-bad");
        var id = await _server.RunAsync("true", "name ~ rerun-");
        await _server.WaitForEndAsync(id);
        var failing = await _server.RunAsync("exit 1", "name = rerun-bad");
        await _server.WaitForEndAsync(failing);
        var rerun = await _server.Get<IInvocationService>().RerunAsync(failing, RerunFilter.FailedOnly, "tester");
        var results = await _server.WaitForEndAsync(rerun);
        Assert.Equal(["rerun-bad"], results.Select(r => r.Hostname));
        await Assert.ThrowsAsync<Fleet.Domain.DomainException>(() => _server.Get<IInvocationService>().RerunAsync(id, RerunFilter.FailedOnly, "tester"));
    }
}
