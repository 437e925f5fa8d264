using Fleet.Domain;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Domain.Execution;

public sealed class RolloutTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static List<StageRun> Waves(params int[] sizes) =>
        sizes.Select((size, i) => new StageRun(Guid.NewGuid(), 7, i, T0, size)).ToList();

    private static Dictionary<Guid, WaveCounts> Counts(List<StageRun> stages, params int[] unfinished) =>
        stages.Select((s, i) => (s, i)).ToDictionary(x => x.s.Id, x => new WaveCounts(x.s.Size, unfinished[x.i]));

    [Fact]
    public void Advance_NothingStarted_StartsTheFirstWaveAtOnce()
    {
        var stages = Waves(1, 3);
        var step = Rollout.Advance(stages, Counts(stages, 1, 3), 0, 4, null, TimeSpan.FromMinutes(5), false, T0);
        Assert.Same(stages[0], step.Started);
        Assert.Equal(StageRunState.Running, stages[0].State);
        Assert.Equal(StageRunState.Waiting, stages[1].State);
    }

    [Fact]
    public void Advance_WaveStillHasUnfinishedRuns_DoesNotStartTheNext()
    {
        var stages = Waves(2, 3);
        stages[0].Start(T0);
        var step = Rollout.Advance(stages, Counts(stages, 1, 3), 0, 5, null, TimeSpan.Zero, false, T0.AddSeconds(1));
        Assert.Null(step.Started);
        Assert.False(step.Changed);
        Assert.Equal(StageRunState.Waiting, stages[1].State);
    }

    [Fact]
    public void Advance_WaveFinishedWithoutPause_CompletesItAndStartsTheNext()
    {
        var stages = Waves(2, 3);
        stages[0].Start(T0);
        var step = Rollout.Advance(stages, Counts(stages, 0, 3), 0, 5, null, TimeSpan.Zero, false, T0.AddSeconds(4));
        Assert.Equal(StageRunState.Completed, stages[0].State);
        Assert.Equal(T0.AddSeconds(4), stages[0].EndedAt);
        Assert.Same(stages[1], step.Started);
        Assert.Equal(T0.AddSeconds(4), stages[1].StartedAt);
    }

    [Fact]
    public void Advance_WaveFinishedWithPause_SchedulesTheNextAndStartsItOnlyWhenDue()
    {
        var stages = Waves(1, 3);
        stages[0].Start(T0);
        var pause = TimeSpan.FromSeconds(30);
        var first = Rollout.Advance(stages, Counts(stages, 0, 3), 0, 4, null, pause, false, T0.AddSeconds(10));
        Assert.Null(first.Started);
        Assert.Equal(T0.AddSeconds(40), first.NextStartAt);
        Assert.Equal(T0.AddSeconds(40), stages[1].StartsAt);

        var early = Rollout.Advance(stages, Counts(stages, 0, 3), 0, 4, null, pause, false, T0.AddSeconds(39));
        Assert.Null(early.Started);
        Assert.Equal(StageRunState.Waiting, stages[1].State);

        var due = Rollout.Advance(stages, Counts(stages, 0, 3), 0, 4, null, pause, false, T0.AddSeconds(40));
        Assert.Same(stages[1], due.Started);
    }

    [Fact]
    public void Advance_ThresholdReached_HaltsEveryWaitingWaveWithTheReason()
    {
        var stages = Waves(1, 2, 3);
        stages[0].Start(T0);
        var step = Rollout.Advance(stages, Counts(stages, 0, 2, 3), 1, 6, FailureThreshold.Parse("1"), TimeSpan.Zero, false, T0.AddSeconds(2));
        Assert.Null(step.Started);
        Assert.NotNull(step.HaltReason);
        Assert.Contains("1 of 6 failed", step.HaltReason);
        Assert.All(stages.Skip(1), s => Assert.Equal(StageRunState.Halted, s.State));
        Assert.All(stages.Skip(1), s => Assert.Equal(step.HaltReason, s.HaltReason));
        Assert.Equal(StageRunState.Completed, stages[0].State);
    }

    [Fact]
    public void Advance_ThresholdReachedMidWave_HaltsLaterWavesWhileTheCurrentOneFinishes()
    {
        var stages = Waves(4, 4);
        stages[0].Start(T0);
        var step = Rollout.Advance(stages, Counts(stages, 2, 4), 2, 8, FailureThreshold.Parse("25%"), TimeSpan.Zero, false, T0.AddSeconds(1));
        Assert.NotNull(step.HaltReason);
        Assert.Equal(StageRunState.Running, stages[0].State);
        Assert.Equal(StageRunState.Halted, stages[1].State);
    }

    [Fact]
    public void Advance_BelowThreshold_GoesOn()
    {
        var stages = Waves(1, 9);
        stages[0].Start(T0);
        var step = Rollout.Advance(stages, Counts(stages, 0, 9), 1, 10, FailureThreshold.Parse("2"), TimeSpan.Zero, false, T0.AddSeconds(1));
        Assert.Null(step.HaltReason);
        Assert.Same(stages[1], step.Started);
    }

    [Fact]
    public void Advance_AlreadyHalted_DoesNotHaltAgain()
    {
        var stages = Waves(1, 1);
        stages[0].Start(T0);
        stages[1].Halt(T0, "halted before");
        var step = Rollout.Advance(stages, Counts(stages, 0, 0), 1, 2, FailureThreshold.Parse("1"), TimeSpan.Zero, true, T0.AddSeconds(1));
        Assert.Null(step.HaltReason);
        Assert.Null(step.Started);
        Assert.Equal("halted before", stages[1].HaltReason);
    }

    [Fact]
    public void HaltWaiting_LeavesRunningAndCompletedWavesAlone()
    {
        var stages = Waves(1, 1, 1);
        stages[0].Start(T0);
        Rollout.HaltWaiting(stages, T0, "Cancelled by alice.");
        Assert.Equal(StageRunState.Running, stages[0].State);
        Assert.All(stages.Skip(1), s => Assert.Equal("Cancelled by alice.", s.HaltReason));
    }

    [Fact]
    public void StageRun_IllegalMoves_AreRejected()
    {
        var stage = new StageRun(Guid.NewGuid(), 1, 0, T0, 5);
        Assert.Throws<DomainException>(() => stage.Complete(T0));
        stage.Start(T0);
        Assert.Throws<DomainException>(() => stage.Start(T0));
        Assert.Throws<DomainException>(() => stage.Halt(T0, "x"));
        Assert.Throws<DomainException>(() => stage.ScheduleStart(T0));
        stage.Complete(T0);
        Assert.Throws<DomainException>(() => stage.Complete(T0));
    }

    [Fact]
    public void Invocation_BadWavePlanOrThreshold_IsRejectedBeforeAnythingIsCreated()
    {
        var spec = new InvocationSpec { Script = "true" };
        Assert.Throws<DomainException>(() => new Invocation(spec with { Waves = "rest, 1" }, "me", T0));
        Assert.Throws<DomainException>(() => new Invocation(spec with { FailureThreshold = "many" }, "me", T0));
        Assert.Throws<DomainException>(() => new Invocation(spec with { WavePauseSeconds = -1 }, "me", T0));
        var ok = new Invocation(spec with { Waves = " 1, 10%, rest ", FailureThreshold = "10%", WavePauseSeconds = 30 }, "me", T0);
        Assert.Equal([1, 1, 8], ok.WavePlan.Split(10));
        Assert.True(ok.Threshold!.IsReached(1, 10));
        Assert.Equal(TimeSpan.FromSeconds(30), ok.WavePause);
    }
}
