using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

/// <summary>Reads for the live progress page, and the one write it makes (cancelling a target run).</summary>
public sealed class RolloutService(IDbContextFactory<FleetDbContext> dbFactory, IInvocationKicker engine, IFleetEvents events, TimeProvider clock) : IRolloutService
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
        var now = clock.GetUtcNow();
        long invocationId;
        Guid hostId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var run = await db.TargetRuns.FirstOrDefaultAsync(r => r.Id == targetRunId, ct) ?? throw new DomainException($"Target run {targetRunId} does not exist.");
            run.Cancel(now, $"Cancelled by {by}.");
            await db.SaveChangesAsync(ct);
            (invocationId, hostId) = (run.InvocationId, run.HostId);
        }
        events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, hostId, now, invocationId));
        engine.Kick(invocationId);
    }
}
