using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

/// <inheritdoc cref="ITargetRunService"/>
public sealed class TargetRunService(IDbContextFactory<FleetDbContext> dbFactory, ExecutionEngine engine, IFleetEvents events, TimeProvider clock)
    : ITargetRunService
{
    public async Task<IReadOnlyList<StageRunTally>> ListStageRunsAsync(int max, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stages = await db.StageRuns.AsNoTracking().OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Index).Take(max).ToListAsync(ct);
        return await TallyAsync(db, stages, ct);
    }

    public async Task<StageRunTally?> GetStageRunAsync(Guid stageRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stage = await db.StageRuns.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageRunId, ct);
        return stage is null ? null : (await TallyAsync(db, [stage], ct))[0];
    }

    public async Task<IReadOnlyList<TargetRun>?> ListTargetRunsAsync(TargetRunQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.StageRuns.AnyAsync(s => s.Id == query.StageRunId, ct)) return null;
        // A stage run has one operation, whose id is its own: any other operation id matches nothing.
        if (query.OperationId is { } operation && operation != query.StageRunId) return [];
        var runs = db.TargetRuns.AsNoTracking().Where(r => r.StageRunId == query.StageRunId);
        if (query.Status is { } status) runs = runs.Where(r => r.Status == status);
        var list = await runs.ToListAsync(ct);
        return query.OrderByStatus switch
        {
            null => list.OrderBy(r => r.Position).ToList(),
            true => list.OrderBy(r => r.Status.Wire(), StringComparer.Ordinal).ThenBy(r => r.Position).ToList(),
            false => list.OrderByDescending(r => r.Status.Wire(), StringComparer.Ordinal).ThenBy(r => r.Position).ToList(),
        };
    }

    public async Task<TargetRun?> GetTargetRunAsync(Guid stageRunId, Guid targetRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TargetRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == targetRunId && r.StageRunId == stageRunId, ct);
    }

    public async Task<(TargetRun? Run, Command? Command)> GetCommandAsync(Guid stageRunId, Guid targetRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TargetRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == targetRunId && r.StageRunId == stageRunId, ct);
        var command = run?.CommandId is { } id ? await db.Commands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) : null;
        return (run, command);
    }

    public async Task<TargetRun> AddTargetRunAsync(Guid stageRunId, Guid hostId, string? deviceName, string? deviceAlias, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        TargetRun run;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var stage = await db.StageRuns.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageRunId, ct)
                        ?? throw new TargetRunNotFoundException($"Stage run '{stageRunId}' not found.");
            var invocation = await db.Invocations.AsNoTracking().FirstAsync(i => i.Id == stage.InvocationId, ct);
            var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct)
                       ?? throw new DomainException($"Host {hostId} is not an approved host.");
            var targeted = (await db.TargetRuns.Where(r => r.StageRunId == stageRunId && r.HostId == hostId).Select(r => r.HostId).ToListAsync(ct)).ToHashSet();
            var last = await db.TargetRuns.Where(r => r.StageRunId == stageRunId).Select(r => (int?)r.Position).MaxAsync(ct);
            run = stage.AddTargetRun(Guid.NewGuid(), invocation, host, targeted, last, deviceName, deviceAlias, now);
            db.TargetRuns.Add(run);
            await db.SaveChangesAsync(ct);
        }
        events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, hostId, now, run.InvocationId));
        return run;
    }

    public Task<TargetRun> UpdateTargetRunAsync(Guid stageRunId, Guid targetRunId, TargetRunStatus? status, string? deviceName, string by,
        CancellationToken ct = default) =>
        ChangeAsync(stageRunId, targetRunId, (run, now) =>
        {
            if (status == TargetRunStatus.Cancelled) CancelBy(run, by, now);
            else if (status is { } to) run.MoveTo(to, now);
            run.Rename(deviceName);
        }, ct);

    public Task<TargetRun> CancelTargetRunAsync(Guid targetRunId, string by, CancellationToken ct = default) =>
        ChangeAsync(null, targetRunId, (run, now) => CancelBy(run, by, now), ct);

    private static void CancelBy(TargetRun run, string by, DateTimeOffset now) => run.Cancel(now, $"Cancelled by {by}.");

    /// <summary>Changes one target run (of <paramref name="stageRunId"/>, when given), then tells watchers and the engine.</summary>
    private async Task<TargetRun> ChangeAsync(Guid? stageRunId, Guid targetRunId, Action<TargetRun, DateTimeOffset> change, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        TargetRun run;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // On PostgreSQL another instance may be dispatching this run right now: its claim is waited for, then read.
            await using var claim = await RowLocks.BeginClaimAsync(db, ct);
            await RowLocks.LockTargetRunsAsync(db, [targetRunId], ct);
            run = await db.TargetRuns.FirstOrDefaultAsync(r => r.Id == targetRunId && (stageRunId == null || r.StageRunId == stageRunId), ct)
                  ?? throw NotFound(stageRunId, targetRunId);
            change(run, now);
            await db.SaveChangesAsync(ct);
            if (claim is not null) await claim.CommitAsync(ct);
        }
        events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, run.HostId, now, run.InvocationId));
        engine.Kick(run.InvocationId);
        return run;
    }

    public async Task<Command> CreateCommandAsync(Guid stageRunId, Guid targetRunId, string? script, int? timeoutSeconds, CancellationToken ct = default)
    {
        _ = await GetTargetRunAsync(stageRunId, targetRunId, ct) ?? throw NotFound(stageRunId, targetRunId);
        return await engine.CommandTargetRunAsync(targetRunId, script, timeoutSeconds, ct);
    }

    public async Task<Command> CancelCommandAsync(Guid stageRunId, Guid targetRunId, Guid commandId, string by, CancellationToken ct = default)
    {
        var run = await GetTargetRunAsync(stageRunId, targetRunId, ct);
        if (run is null || run.CommandId != commandId) throw new TargetRunNotFoundException($"Command '{commandId}' not found for target run '{targetRunId}'.");
        await engine.CancelCommandAsync(commandId, by, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Commands.AsNoTracking().FirstAsync(c => c.Id == commandId, ct);
    }

    private static TargetRunNotFoundException NotFound(Guid? stageRunId, Guid targetRunId) =>
        new(stageRunId is { } stage ? $"Target run '{targetRunId}' not found in stage run '{stage}'." : $"Target run {targetRunId} does not exist.");

    private static async Task<List<StageRunTally>> TallyAsync(FleetDbContext db, List<StageRun> stages, CancellationToken ct)
    {
        var ids = stages.Select(s => s.Id).ToList();
        var rows = await db.TargetRuns.Where(r => ids.Contains(r.StageRunId)).TallyAsync(ct);
        return stages.ConvertAll(s => new StageRunTally(s, Enum.GetValues<TargetRunStatus>()
            .ToDictionary(status => status, status => rows.Where(r => r.StageRunId == s.Id && r.Status == status).Sum(r => r.Count))));
    }
}
