using Fleet.Domain.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

/// <summary>How many target runs of one stage run are in one status.</summary>
public sealed record StatusTally(Guid StageRunId, TargetRunStatus Status, int Count);

public static class TargetRunTallies
{
    /// <summary>One grouped query: the runs counted per stage run and status (the engine, the live hub, the progress page and seed 004 all need it).</summary>
    public static Task<List<StatusTally>> TallyAsync(this IQueryable<TargetRun> runs, CancellationToken ct) =>
        runs.AsNoTracking().GroupBy(r => new { r.StageRunId, r.Status })
            .Select(g => new StatusTally(g.Key.StageRunId, g.Key.Status, g.Count())).ToListAsync(ct);

    public static RunCounts Counts(this IEnumerable<StatusTally> tallies) => RunCounts.From(tallies.Select(t => (t.Status, t.Count)));
}
