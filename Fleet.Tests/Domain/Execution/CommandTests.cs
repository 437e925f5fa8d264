using Fleet.Domain;
using Fleet.Domain.Execution;
using C = Fleet.Domain.Execution.CommandStatus;

namespace Fleet.Tests.Domain.Execution;

public sealed class CommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<(C, C)> Allowed =
    [
        (C.Queued, C.Initiated), (C.Queued, C.Failure), (C.Queued, C.Timeout), (C.Queued, C.Cancelled),
        (C.Initiated, C.Acknowledged), (C.Initiated, C.InProgress), (C.Initiated, C.Success), (C.Initiated, C.Failure), (C.Initiated, C.Timeout), (C.Initiated, C.Cancelled),
        (C.Acknowledged, C.InProgress), (C.Acknowledged, C.Success), (C.Acknowledged, C.Failure), (C.Acknowledged, C.Timeout), (C.Acknowledged, C.Cancelled),
        (C.InProgress, C.Success), (C.InProgress, C.Failure), (C.InProgress, C.Timeout), (C.InProgress, C.Cancelled),
    ];

    public static TheoryData<C, C> AllPairs()
    {
        var data = new TheoryData<C, C>();
        foreach (var from in Enum.GetValues<C>())
            foreach (var to in Enum.GetValues<C>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Rules_MatchSeed004(C from, C to) => Assert.Equal(Allowed.Contains((from, to)), StatusRules.CanMove(from, to));

    private static Command NewCommand() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), CommandKind.Script, "true", null, 30, Now);

    [Fact]
    public void Start_MovesThroughInitiatedToInProgressAndSetsTheResultDeadline()
    {
        var command = NewCommand();
        Assert.True(command.Start(Now));
        Assert.Equal(C.InProgress, command.Status);
        Assert.Equal(Now + TimeSpan.FromSeconds(30) + Command.ResultGrace, command.ResultDeadline);
    }

    [Fact]
    public void Finish_AfterItEnded_KeepsTheLateResultWithoutChangingStatus()
    {
        var command = NewCommand();
        command.Start(Now);
        command.Finish(C.Timeout, null, "killed", Now);
        Assert.False(command.Finish(C.Success, 0, null, Now.AddSeconds(5)));
        Assert.Equal(C.Timeout, command.Status);
        Assert.Equal(0, command.LateExitCode);
    }

    [Fact]
    public void Finish_WithANonFinalStatus_Throws() => Assert.Throws<DomainException>(() => NewCommand().Finish(C.InProgress, null, null, Now));

    [Fact]
    public void Cancel_WhenEnded_Throws()
    {
        var command = NewCommand();
        command.Finish(C.Failure, 1, null, Now);
        Assert.Throws<DomainException>(() => command.Cancel(Now, "late"));
    }

    [Fact]
    public void MissedPickup_OnlyWhileQueuedAndPastTheDeadline()
    {
        var command = NewCommand();
        command.RequirePickupWithin(TimeSpan.FromSeconds(10), Now);
        Assert.False(command.MissedPickup(Now.AddSeconds(5)));
        Assert.True(command.MissedPickup(Now.AddSeconds(11)));
        command.Start(Now.AddSeconds(1));
        Assert.False(command.MissedPickup(Now.AddSeconds(11)));
    }

    [Theory]
    [InlineData(0, "x")]
    [InlineData(10, " ")]
    public void Constructor_RejectsBadTimeoutOrEmptyScript(int timeout, string script) =>
        Assert.Throws<DomainException>(() => new Command(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), CommandKind.Script, script, null, timeout, Now));
}
