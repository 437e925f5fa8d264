using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.Execution;

/// <summary>Rolling waves on the engine with real agents running real processes.</summary>
public sealed class WaveRolloutTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    private async Task StartAgentsAsync(string prefix, int count)
    {
        for (var i = 0; i < count; i++) await _server.StartAcceptedAgentAsync($"{prefix}-{i}");
    }

    private Task<long> RunInWavesAsync(string command, string prefix, string waves, int? pauseSeconds = null, string? threshold = null) =>
        _server.Get<IInvocationService>().CreateAsync(new NewJob
        {
            AdHocCommand = command,
            SearchQuery = $"name ~ {prefix}-",
            Waves = waves,
            WavePauseSeconds = pauseSeconds,
            FailureThreshold = threshold,
        }, "tester");

    private async Task<(List<StageRun> Stages, List<TargetRun> Runs)> ReadAsync(long invocationId)
    {
        await using var db = _server.Db();
        var stages = await db.StageRuns.AsNoTracking().Where(s => s.InvocationId == invocationId).OrderBy(s => s.Index).ToListAsync();
        var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).OrderBy(r => r.Position).ToListAsync();
        return (stages, runs);
    }

    [Fact]
    public async Task Waves_EachStartsOnlyAfterThePreviousCompletedAndThePause()
    {
        await StartAgentsAsync("wave", 4);
        var id = await RunInWavesAsync("sleep 0.3; echo done", "wave", "1, 1, rest", pauseSeconds: 1);

        await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(40));

        var (stages, runs) = await ReadAsync(id);
        Assert.Equal([1, 1, 2], stages.Select(s => s.Size));
        Assert.All(stages, s => Assert.Equal(StageRunState.Completed, s.State));
        Assert.All(runs, r => Assert.Equal(TargetRunStatus.Success, r.Status));
        for (var wave = 1; wave < stages.Count; wave++)
        {
            var previousEnd = runs.Where(r => r.StageRunId == stages[wave - 1].Id).Max(r => r.EndedAt!.Value);
            var firstStart = runs.Where(r => r.StageRunId == stages[wave].Id).Min(r => r.History.First(h => h.To == "queued").At);
            Assert.True(firstStart >= previousEnd.AddSeconds(1), $"wave {wave + 1} queued at {firstStart:O}, previous wave ended {previousEnd:O}");
            Assert.Equal(stages[wave - 1].EndedAt!.Value.AddSeconds(1), stages[wave].StartsAt);
        }
    }

    [Fact]
    public async Task Waves_FailureThresholdReached_HaltsTheRestWithTheReason()
    {
        await StartAgentsAsync("halt", 4);
        var id = await RunInWavesAsync("echo no >&2; exit 4", "halt", "1, 1, rest", threshold: "1");

        await _server.WaitForEndAsync(id, TimeSpan.FromSeconds(30));

        var (stages, runs) = await ReadAsync(id);
        Assert.Equal(StageRunState.Completed, stages[0].State);
        Assert.All(stages.Skip(1), s => Assert.Equal(StageRunState.Halted, s.State));
        Assert.Equal(TargetRunStatus.Failure, runs[0].Status);
        Assert.All(runs.Skip(1), r =>
        {
            Assert.Equal(TargetRunStatus.Cancelled, r.Status);
            Assert.Contains("1 failed target run(s)", r.Reason);
            Assert.Null(r.CommandId);
        });
        var detail = await _server.Get<IInvocationService>().GetAsync(id);
        Assert.Equal("failed", detail!.Summary.StatusLabel);
        Assert.Contains("Rollout halted", detail.HaltReason);
        Assert.Equal("1, 1, rest", detail.Waves);
        await using var db = _server.Db();
        Assert.Contains("Rollout halted", (await db.Invocations.AsNoTracking().SingleAsync(i => i.Id == id)).HaltReason);
    }

    [Fact]
    public async Task Waves_CancelledBetweenWaves_HaltsTheWaitingWaves()
    {
        await StartAgentsAsync("pause", 2);
        var id = await RunInWavesAsync("echo ok", "pause", "1, rest", pauseSeconds: 600);
        await Eventually.Until(async () => (await ReadAsync(id)).Stages[1].StartsAt, at => at is not null, "the second wave to be scheduled", TimeSpan.FromSeconds(20));

        await _server.Get<IInvocationService>().CancelAsync(id, force: false, by: "alice");

        await _server.WaitForEndAsync(id);
        var (stages, runs) = await ReadAsync(id);
        Assert.Equal(StageRunState.Halted, stages[1].State);
        Assert.Equal("Cancelled by alice.", stages[1].HaltReason);
        Assert.Equal(TargetRunStatus.Cancelled, runs[1].Status);
    }

    [Fact]
    public async Task RolloutService_ShowsWaves_FetchesOnlyChangedRuns_AndCancelsOnlyUnsentRuns()
    {
        await StartAgentsAsync("live", 2);
        var id = await RunInWavesAsync("echo ok", "live", "1, rest", pauseSeconds: 600);
        await Eventually.Until(async () => (await ReadAsync(id)).Stages[1].StartsAt, at => at is not null, "the second wave to be scheduled", TimeSpan.FromSeconds(20));
        var rollouts = _server.Get<IRolloutService>();

        var view = (await rollouts.GetAsync(id))!;
        Assert.Equal(["completed", "waiting"], view.WaveList.Select(w => w.State));
        Assert.Equal(1, view.WaveList[0].Tally.Succeeded);
        Assert.NotNull(view.WaveList[1].StartsAt);
        Assert.Equal((id, 1), await rollouts.FindStageRunAsync(view.WaveList[1].StageRunId));
        Assert.Null(await rollouts.FindStageRunAsync(Guid.NewGuid()));
        var all = await rollouts.GetRunsAsync(id, null);
        Assert.Equal(2, all.Count);
        var (done, waiting) = (all[0], all[1]);
        Assert.False(done.Cancellable);
        Assert.True(waiting.Cancellable);

        await Assert.ThrowsAsync<Fleet.Domain.DomainException>(() => rollouts.CancelRunAsync(done.TargetRunId, "bob"));
        await rollouts.CancelRunAsync(waiting.TargetRunId, "bob");

        var changed = await rollouts.GetRunsAsync(id, all.Max(r => r.UpdatedAt).AddMilliseconds(1));
        Assert.Equal([waiting.TargetRunId], changed.Select(r => r.TargetRunId));
        Assert.Equal("cancelled", changed[0].Status);
        var timeline = (await rollouts.GetTimelineAsync(waiting.TargetRunId))!;
        Assert.Equal(["cancelled"], timeline.Changes.Select(c => c.To)); // its wave never started, so it was never queued
        Assert.Equal("Cancelled by bob.", timeline.Changes[^1].Reason);
        await _server.WaitForEndAsync(id);
    }
}
