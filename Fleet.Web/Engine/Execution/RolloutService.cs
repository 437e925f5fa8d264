using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

/// <summary>Reads for the live progress page, and the one write it makes (cancelling a target run, through <see cref="ITargetRunService"/>).</summary>
public sealed class RolloutService(IDbContextFactory<FleetDbContext> dbFactory, ITargetRunService targetRuns) : IRolloutService
{
    public async Task<RolloutView?> GetAsync(long invocationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocation = await db.Invocations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invocationId, ct);
        if (invocation is null) return null;
        var stages = await db.StageRuns.AsNoTracking().Where(s => s.InvocationId == invocationId).OrderBy(s => s.Index).ToListAsync(ct);
        var rows = await db.TargetRuns.Where(r => r.InvocationId == invocationId).TallyAsync(ct);
        var waves = stages.Select(s => new WaveView(s.Id, s.Index, s.State.ToString().ToLowerInvariant(), s.Size,
            rows.Where(r => r.StageRunId == s.Id).Counts(),
            s.StartsAt, s.StartedAt, s.EndedAt, s.HaltReason)).ToList();
        var all = rows.Counts();
        var label = InvocationStatus.Of(invocation.State, all).Label();
        return new RolloutView(invocation.Id, invocation.Description ?? invocation.TemplateName, label, invocation.State.ToString().ToLowerInvariant(),
            invocation.Waves, invocation.FailureThreshold, invocation.WavePauseSeconds, invocation.HaltReason, invocation.CancelReason,
            all, waves);
    }

    public async Task<(long InvocationId, int Wave)?> FindStageRunAsync(Guid stageRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stage = await db.StageRuns.AsNoTracking().Where(s => s.Id == stageRunId).Select(s => new { s.InvocationId, s.Index }).FirstOrDefaultAsync(ct);
        return stage is null ? null : (stage.InvocationId, stage.Index);
    }

    public async Task<IReadOnlyList<RunRow>> GetRunsAsync(long invocationId, DateTimeOffset? changedSince, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waveOf = await db.StageRuns.AsNoTracking().Where(s => s.InvocationId == invocationId).ToDictionaryAsync(s => s.Id, s => s.Index, ct);
        var runs = db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId);
        if (changedSince is { } since) runs = runs.Where(r => r.UpdatedAt >= since);
        var list = await runs.OrderBy(r => r.Position)
            .Select(r => new { r.Id, r.StageRunId, r.Position, r.HostId, r.DeviceName, r.Status, r.UpdatedAt, r.Reason }).ToListAsync(ct);
        return list.Select(r => new RunRow(r.Id, r.StageRunId, waveOf.GetValueOrDefault(r.StageRunId), r.Position, r.HostId, r.DeviceName,
            r.Status.Wire(), r.UpdatedAt, r.Reason, r.Status.IsCancellable())).ToList();
    }

    public async Task<JobChanges?> GetJobChangesAsync(long invocationId, DateTimeOffset changedSince, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocation = await db.Invocations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invocationId, ct);
        if (invocation is null) return null;
        var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId && r.UpdatedAt >= changedSince)
            .OrderBy(r => r.Position).ToListAsync(ct);
        var ids = runs.ConvertAll(r => r.Id);
        var exitCodes = await db.Commands.AsNoTracking().Where(c => ids.Contains(c.TargetRunId))
            .Select(c => new { c.TargetRunId, c.ExitCode }).ToDictionaryAsync(c => c.TargetRunId, c => c.ExitCode, ct);
        // The counts the engine recorded at its last pass: a pass that changes them publishes an event, so the page reads them again.
        return new JobChanges(InvocationService.ToRow(invocation), invocation.State.ToString().ToLowerInvariant(), invocation.CancelReason, invocation.HaltReason,
            runs.ConvertAll(r => new ChangedRun(new TargetRunRow(r.Id, r.HostId, r.DeviceName, r.Status.Wire(), exitCodes.GetValueOrDefault(r.Id),
                r.StartedAt, r.EndedAt, r.Reason), r.Position, r.UpdatedAt)));
    }

    public async Task<RunTimeline?> GetTimelineAsync(Guid targetRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TargetRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == targetRunId, ct);
        if (run is null) return null;
        var wave = await db.StageRuns.AsNoTracking().Where(s => s.Id == run.StageRunId).Select(s => s.Index).FirstOrDefaultAsync(ct);
        var command = run.CommandId is { } id ? await db.Commands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) : null;
        var row = new RunRow(run.Id, run.StageRunId, wave, run.Position, run.HostId, run.DeviceName, run.Status.Wire(), run.UpdatedAt, run.Reason, run.Status.IsCancellable());
        return new RunTimeline(row, run.History, command?.Status.Wire(), command?.ExitCode);
    }

    public async Task CancelRunAsync(Guid targetRunId, string by, CancellationToken ct = default)
    {
        try
        {
            await targetRuns.CancelTargetRunAsync(targetRunId, by, ct);
        }
        catch (TargetRunNotFoundException gone)
        {
            // The page offers cancel for a run it showed; one deleted since is told like any refused cancel.
            throw new DomainException(gone.Message);
        }
    }
}
