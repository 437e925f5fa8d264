using System.Diagnostics;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.Execution;

namespace Fleet.Tests.Engine.Execution;

/// <summary>Seed 001's synchronous commands: the runner waits on the event stream for the invocation to stop, up to a limit.</summary>
public sealed class CommandRunnerTests(CommandRunnerTests.Fixture fixture) : IClassFixture<CommandRunnerTests.Fixture>
{
    public sealed class Fixture() : ServerWithAgents("runner-01");

    private InvocationSpec Script(string script) => new()
    {
        JobCategory = "Commands",
        Description = script,
        Origin = InvocationOrigin.FleetCommand,
        CommandKind = CommandKind.Script,
        Script = script,
        HostIds = [fixture.HostId],
        ExecutionTimeoutSeconds = 60,
    };

    [Fact]
    public async Task RunAsync_AnswersOnceTheInvocationStops_NotAtTheLimit()
    {
        var watch = Stopwatch.StartNew();
        var (_, results) = await fixture.Server.Get<CommandRunner>().RunAsync(Script("echo done"), "tester", TimeSpan.FromSeconds(60), default);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        var result = Assert.Single(results);
        Assert.Equal(TargetRunStatus.Success, result.Status);
        Assert.Equal("done\n", result.Stdout);
    }

    [Fact]
    public async Task RunAsync_StopsWaitingAtTheLimit_AndAnswersWithTheRunStillGoing()
    {
        var watch = Stopwatch.StartNew();
        var (_, results) = await fixture.Server.Get<CommandRunner>().RunAsync(Script("sleep 30"), "tester", TimeSpan.FromSeconds(1), default);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.False(Assert.Single(results).Status is TargetRunStatus.Success or TargetRunStatus.Failure or TargetRunStatus.Timeout);
    }

    [Fact]
    public async Task RunAsync_AShortCommandsResult_IsHandedOverByTheWriter_AsTheDatabaseHoldsIt()
    {
        var outcomes = fixture.Server.Get<RunOutcomes>();
        var before = outcomes.HandedOver;

        var runner = fixture.Server.Get<CommandRunner>();
        var (invocationId, handed) = await runner.RunAsync(Script("echo out; echo err >&2; exit 3"), "tester", TimeSpan.FromSeconds(60), default);

        Assert.Equal(before + 1, outcomes.HandedOver);
        var stored = Assert.Single(await runner.ResultsAsync(invocationId, default));
        var result = Assert.Single(handed);
        Assert.Equal(stored, result);
        Assert.Equal((TargetRunStatus.Failure, 3, "out\n", "err\n"), (result.Status, result.ExitCode, result.Stdout, result.Stderr));
    }
}
