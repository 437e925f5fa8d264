using Fleet.Domain.Execution;
using Fleet.Web.Data;

namespace Fleet.Tests.Data;

public sealed class PassTallyTests
{
    private static readonly Guid Wave1 = Guid.NewGuid(), Wave2 = Guid.NewGuid();
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Moved_KeepsCountsPerStatusAndWaveCurrent()
    {
        var tally = new PassTally([new StatusTally(Wave1, TargetRunStatus.Queued, 2), new StatusTally(Wave2, TargetRunStatus.Pending, 3)]);
        var run = new TargetRun(Guid.NewGuid(), 1, Wave1, Guid.NewGuid(), "web-01", T0);
        run.Queue(T0);
        run.BeginProcessing(T0);
        run.AttachCommand(Guid.NewGuid(), T0);
        tally.Moved(run, TargetRunStatus.Queued);

        Assert.Equal(1, tally.Count(s => s == TargetRunStatus.Queued));
        Assert.Equal(1, tally.Count(s => s == TargetRunStatus.Dispatched));
        Assert.Equal(new RunCounts(0, 0, 0, 1, 4), tally.Counts());
        Assert.Equal(new WaveCounts(2, 2), tally.Waves()[Wave1]);
        Assert.Equal(new WaveCounts(3, 3), tally.Waves()[Wave2]);
    }

    [Fact]
    public void Moved_ToAFinalStatus_LeavesTheWaveWithFewerUnfinished()
    {
        var tally = new PassTally([new StatusTally(Wave1, TargetRunStatus.Pending, 2)]);
        var run = new TargetRun(Guid.NewGuid(), 1, Wave1, Guid.NewGuid(), "web-01", T0);
        run.Cancel(T0, "halted");
        tally.Moved(run, TargetRunStatus.Pending);

        Assert.Equal(new WaveCounts(2, 1), tally.Waves()[Wave1]);
        Assert.Equal(new RunCounts(0, 0, 1, 0, 1), tally.Counts());
    }
}
