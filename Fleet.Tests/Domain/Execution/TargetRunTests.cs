using Fleet.Domain;
using Fleet.Domain.Execution;
using S = Fleet.Domain.Execution.TargetRunStatus;

namespace Fleet.Tests.Domain.Execution;

public sealed class TargetRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Seed 004's target-run machine, written out independently of the production table.</summary>
    private static readonly HashSet<(S, S)> Allowed =
    [
        (S.Pending, S.Queued), (S.Pending, S.Cancelled), (S.Pending, S.Invalid), (S.Pending, S.Timeout),
        (S.Queued, S.Processing), (S.Queued, S.Cancelled), (S.Queued, S.Invalid), (S.Queued, S.Timeout),
        (S.Processing, S.Dispatched), (S.Processing, S.Cancelled), (S.Processing, S.Invalid), (S.Processing, S.Timeout),
        (S.Dispatched, S.Running), (S.Dispatched, S.Complete), (S.Dispatched, S.Timeout),
        (S.Running, S.Complete), (S.Running, S.Timeout),
        (S.Complete, S.Success), (S.Complete, S.Failure),
    ];

    /// <summary>The path of legal moves from pending to each status.</summary>
    private static readonly Dictionary<S, S[]> PathTo = new()
    {
        [S.Pending] = [],
        [S.Queued] = [S.Queued],
        [S.Processing] = [S.Queued, S.Processing],
        [S.Dispatched] = [S.Queued, S.Processing, S.Dispatched],
        [S.Running] = [S.Queued, S.Processing, S.Dispatched, S.Running],
        [S.Complete] = [S.Queued, S.Processing, S.Dispatched, S.Running, S.Complete],
        [S.Success] = [S.Queued, S.Processing, S.Dispatched, S.Running, S.Complete, S.Success],
        [S.Failure] = [S.Queued, S.Processing, S.Dispatched, S.Running, S.Complete, S.Failure],
        [S.Cancelled] = [S.Cancelled],
        [S.Timeout] = [S.Timeout],
        [S.Invalid] = [S.Invalid],
    };

    private static TargetRun RunIn(S status)
    {
        var run = new TargetRun(Guid.NewGuid(), 1, Guid.NewGuid(), Guid.NewGuid(), "web-01", Now);
        foreach (var step in PathTo[status]) run.MoveTo(step, Now);
        Assert.Equal(status, run.Status);
        return run;
    }

    public static TheoryData<S, S> AllPairs()
    {
        var data = new TheoryData<S, S>();
        foreach (var from in Enum.GetValues<S>())
            foreach (var to in Enum.GetValues<S>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Unfinished_ForQueries_AgreesWithIsFinal_AndFinalMeansNoMoveLeft(S status)
    {
        var run = RunIn(status);
        Assert.Equal(!run.IsFinal, TargetRun.Unfinished.Compile()(run));
        // Written out apart from the production list: a final status is one the state machine never leaves.
        Assert.Equal(!Allowed.Any(move => move.Item1 == status), run.IsFinal);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void MoveTo_FollowsSeed004(S from, S to)
    {
        var run = RunIn(from);
        if (Allowed.Contains((from, to)))
        {
            run.MoveTo(to, Now);
            Assert.Equal(to, run.Status);
            Assert.Equal((from.Wire(), to.Wire()), (run.History[^1].From, run.History[^1].To));
        }
        else
        {
            Assert.Throws<DomainException>(() => run.MoveTo(to, Now));
            Assert.Equal(from, run.Status);
        }
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Cancel_OnlyFromPendingQueuedOrProcessing(S from)
    {
        var run = RunIn(from);
        if (from is S.Pending or S.Queued or S.Processing)
        {
            run.Cancel(Now, "by alice");
            Assert.Equal(S.Cancelled, run.Status);
            Assert.Equal("by alice", run.Reason);
        }
        else
        {
            Assert.Throws<DomainException>(() => run.Cancel(Now, "by alice"));
        }
    }

    public static TheoryData<S> AllStatuses() => new(Enum.GetValues<S>());

    [Theory]
    [InlineData(CommandStatus.Initiated, S.Running)]
    [InlineData(CommandStatus.Acknowledged, S.Running)]
    [InlineData(CommandStatus.InProgress, S.Running)]
    [InlineData(CommandStatus.Success, S.Success)]
    [InlineData(CommandStatus.Failure, S.Failure)]
    [InlineData(CommandStatus.Timeout, S.Failure)]
    [InlineData(CommandStatus.Cancelled, S.Failure)]
    [InlineData(CommandStatus.Queued, S.Dispatched)]
    public void FollowCommand_MapsCommandStatusLikeSeed004(CommandStatus command, S expected)
    {
        var run = RunIn(S.Dispatched);
        run.FollowCommand(command, Now);
        Assert.Equal(expected, run.Status);
        if (command.IsFinal()) Assert.Contains(run.History, c => c.To == "complete");
    }

    [Fact]
    public void FollowCommand_AfterTheRunEnded_DoesNotReopenIt()
    {
        var run = RunIn(S.Running);
        run.TimeOut(Now, "7 days");
        run.FollowCommand(CommandStatus.Success, Now.AddMinutes(1));
        Assert.Equal(S.Timeout, run.Status);
    }

    [Fact]
    public void AttachCommand_Twice_Throws()
    {
        var run = RunIn(S.Processing);
        run.AttachCommand(Guid.NewGuid(), Now);
        Assert.Throws<DomainException>(() => run.AttachCommand(Guid.NewGuid(), Now));
    }
}
