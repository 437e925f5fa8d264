using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
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

    [Fact]
    public async Task Read_CountsEachWave_WhetherTheJobHasOneWaveOrSeveral()
    {
        var database = new InMemoryFleetDatabase();
        await database.InitializeAsync();
        try
        {
            await ReadCountsEachWaveAsync(database);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static async Task ReadCountsEachWaveAsync(InMemoryFleetDatabase database)
    {
        var single = Guid.NewGuid();
        long oneWave, twoWaves;
        await using (var db = database.CreateDbContext())
        {
            var first = new Invocation(new InvocationSpec { Script = "true" }, "tester", T0);
            var second = new Invocation(new InvocationSpec { Script = "true" }, "tester", T0);
            db.Invocations.AddRange(first, second);
            await db.SaveChangesAsync();
            (oneWave, twoWaves) = (first.Id, second.Id);
            db.StageRuns.AddRange(new StageRun(single, oneWave, 0, T0), new StageRun(Wave1, twoWaves, 0, T0), new StageRun(Wave2, twoWaves, 1, T0));
            foreach (var (invocation, stage, queued) in new[] { (oneWave, single, true), (oneWave, single, true), (oneWave, single, false),
                         (twoWaves, Wave1, true), (twoWaves, Wave2, false), (twoWaves, Wave2, false) })
            {
                var run = new TargetRun(Guid.NewGuid(), invocation, stage, Guid.NewGuid(), "web", T0);
                if (queued) run.Queue(T0);
                db.TargetRuns.Add(run);
            }
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateDbContext();
        var one = await PassTally.ReadAsync(read, oneWave, default);
        Assert.Equal(new WaveCounts(3, 3), Assert.Single(one.Waves(), w => w.Key == single).Value);
        Assert.Equal(2, one.Count(s => s == TargetRunStatus.Queued));
        Assert.Equal(1, one.Count(s => s == TargetRunStatus.Pending));
        var two = await PassTally.ReadAsync(read, twoWaves, default);
        Assert.Equal(new WaveCounts(1, 1), two.Waves()[Wave1]);
        Assert.Equal(new WaveCounts(2, 2), two.Waves()[Wave2]);
        Assert.Equal(1, two.Count(s => s == TargetRunStatus.Queued));
    }
}
