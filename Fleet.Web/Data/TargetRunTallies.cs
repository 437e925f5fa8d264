using Fleet.Domain.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

/// <summary>How many target runs of one stage run are in one status.</summary>
public sealed record StatusTally(Guid StageRunId, TargetRunStatus Status, int Count);

/// <summary>
/// Counting target runs: one grouped query per stage run and status, which the engine, the live hub,
/// the progress page and seed 004's stage-run views read their counts from.
/// </summary>
public static class TargetRunTallies
{
    public static Task<List<StatusTally>> TallyAsync(this IQueryable<TargetRun> runs, CancellationToken ct) => Grouped(runs).ToListAsync(ct);

    /// <summary>The same count, read synchronously by a caller on its own thread.</summary>
    public static List<StatusTally> Tally(this IQueryable<TargetRun> runs) => Grouped(runs).ToList();

    /// <summary>Counts by status alone (no stage run): the (invocation, status) index covers it, so no run's row is read.</summary>
    public static List<StatusTally> TallyByStatus(this IQueryable<TargetRun> runs) => runs.AsNoTracking().GroupBy(r => r.Status)
        .Select(g => new StatusTally(Guid.Empty, g.Key, g.Count())).ToList();

    private static IQueryable<StatusTally> Grouped(IQueryable<TargetRun> runs) => runs.AsNoTracking().GroupBy(r => new { r.StageRunId, r.Status })
        .Select(g => new StatusTally(g.Key.StageRunId, g.Key.Status, g.Count()));

    public static RunCounts Counts(this IEnumerable<StatusTally> tallies) => RunCounts.From(tallies.Select(t => (t.Status, t.Count)));

    /// <summary>Every status with its count (zero included), keyed by its wire name.</summary>
    public static Dictionary<string, int> ByWireStatus(this IEnumerable<StatusTally> tallies)
    {
        var all = Enum.GetValues<TargetRunStatus>().ToDictionary(s => s.Wire(), _ => 0);
        foreach (var tally in tallies) all[tally.Status.Wire()] += tally.Count;
        return all;
    }
}

/// <summary>
/// One invocation's target runs counted once per engine pass and kept current as the pass moves runs,
/// so the pass never counts the same runs again (at 10,000 runs each count is a scan).
/// </summary>
public sealed class PassTally(IEnumerable<StatusTally> rows)
{
    private readonly Dictionary<(Guid StageRunId, TargetRunStatus Status), int> _counts =
        rows.ToDictionary(r => (r.StageRunId, r.Status), r => r.Count);

    public static async Task<PassTally> ReadAsync(FleetDbContext db, long invocationId, CancellationToken ct) =>
        new(await db.TargetRuns.Where(r => r.InvocationId == invocationId).TallyAsync(ct));

    /// <summary>Records that <paramref name="run"/> moved from <paramref name="from"/> to its current status.</summary>
    public void Moved(TargetRun run, TargetRunStatus from)
    {
        if (from == run.Status) return;
        _counts[(run.StageRunId, from)] = _counts.GetValueOrDefault((run.StageRunId, from)) - 1;
        _counts[(run.StageRunId, run.Status)] = _counts.GetValueOrDefault((run.StageRunId, run.Status)) + 1;
    }

    public int Count(Func<TargetRunStatus, bool> which) => _counts.Where(c => which(c.Key.Status)).Sum(c => c.Value);

    public RunCounts Counts() => RunCounts.From(_counts.Select(c => (c.Key.Status, c.Value)));

    public IReadOnlyDictionary<Guid, WaveCounts> Waves() => _counts.GroupBy(c => c.Key.StageRunId).ToDictionary(g => g.Key,
        g => new WaveCounts(g.Sum(c => c.Value), g.Where(c => !c.Key.Status.IsFinal()).Sum(c => c.Value)));
}
