using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Fakes;

/// <summary>Rollouts held in memory; tests replace <see cref="View"/> and <see cref="Runs"/> to simulate progress.</summary>
public sealed class FakeRolloutService : IRolloutService
{
    public RolloutView? View { get; set; }
    public List<RunRow> Runs { get; } = [];
    public Dictionary<Guid, RunTimeline> Timelines { get; } = [];
    public List<DateTimeOffset?> RunQueries { get; } = [];
    public List<(Guid Run, string By)> Cancelled { get; } = [];
    public Dictionary<long, JobChanges> Jobs { get; } = [];
    public List<DateTimeOffset> JobQueries { get; } = [];

    public Task<RolloutView?> GetAsync(long invocationId, CancellationToken ct = default) =>
        Task.FromResult(View?.InvocationId == invocationId ? View : null);

    public Task<(long InvocationId, int Wave)?> FindStageRunAsync(Guid stageRunId, CancellationToken ct = default)
    {
        var wave = View?.WaveList.FirstOrDefault(w => w.StageRunId == stageRunId);
        return Task.FromResult<(long, int)?>(wave is null ? null : (View!.InvocationId, wave.Index));
    }

    public Task<IReadOnlyList<RunRow>> GetRunsAsync(long invocationId, DateTimeOffset? changedSince, CancellationToken ct = default)
    {
        lock (RunQueries) RunQueries.Add(changedSince);
        IReadOnlyList<RunRow> rows = Runs.Where(r => changedSince is null || r.UpdatedAt >= changedSince).ToList();
        return Task.FromResult(rows);
    }

    public Task<JobChanges?> GetJobChangesAsync(long invocationId, DateTimeOffset changedSince, CancellationToken ct = default)
    {
        lock (JobQueries) JobQueries.Add(changedSince);
        return Task.FromResult(Jobs.GetValueOrDefault(invocationId));
    }

    public Task<RunTimeline?> GetTimelineAsync(Guid targetRunId, CancellationToken ct = default) =>
        Task.FromResult(Timelines.GetValueOrDefault(targetRunId));

    public Task CancelRunAsync(Guid targetRunId, string by, CancellationToken ct = default)
    {
        var index = Runs.FindIndex(r => r.TargetRunId == targetRunId);
        if (index < 0 || !Runs[index].Cancellable) throw new DomainException("Only pending, queued or processing target runs can be cancelled.");
        Cancelled.Add((targetRunId, by));
        Runs[index] = Runs[index] with { Status = TargetRunStatus.Cancelled.Wire(), Cancellable = false, UpdatedAt = Runs[index].UpdatedAt.AddMilliseconds(1) };
        return Task.CompletedTask;
    }
}
