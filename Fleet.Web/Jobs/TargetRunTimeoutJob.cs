using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Jobs;

/// <summary>
/// Seed 004: a target run not complete after its timeout (7 days by default,
/// <c>Fleet:Execution:TargetRunTimeoutDays</c>, or the invocation's own) becomes <c>timeout</c>; its command, if still open, ends too.
/// Safe to run twice: finished runs are never touched.
/// </summary>
public sealed class TargetRunTimeoutJob(DbWriteBatcher writer, IFleetEvents events, IConfiguration configuration, IInvocationKicker engine, TimeProvider clock)
{
    public const string RecurringId = "target-runs:timeout";

    public TimeSpan Timeout => TimeSpan.FromDays(Math.Max(0.0001, configuration.GetValue("Fleet:Execution:TargetRunTimeoutDays", 7.0)));

    public async Task<int> RunAsync()
    {
        var now = clock.GetUtcNow();
        var touched = await writer.WriteAsync(async db =>
        {
            // A few running invocations carry their own timeout; every other run uses the server-wide one.
            var ownTimeouts = await db.Invocations.AsNoTracking()
                .Where(i => i.State != InvocationState.Stopped && i.TargetRunTimeoutSeconds != null)
                .Select(i => new { i.Id, Seconds = i.TargetRunTimeoutSeconds!.Value }).ToListAsync();
            var ownIds = ownTimeouts.Select(i => i.Id).ToList();
            var stale = await Unfinished(db).Where(r => r.CreatedAt < now - Timeout && !ownIds.Contains(r.InvocationId)).Take(5000).ToListAsync();
            var reasons = stale.ToDictionary(r => r.Id, _ => Describe(Timeout));
            foreach (var own in ownTimeouts)
            {
                var limit = TimeSpan.FromSeconds(own.Seconds);
                foreach (var run in await Unfinished(db).Where(r => r.InvocationId == own.Id && r.CreatedAt < now - limit).Take(5000).ToListAsync())
                {
                    stale.Add(run);
                    reasons[run.Id] = Describe(limit);
                }
            }
            var commandIds = stale.Where(r => r.CommandId != null).ToDictionary(r => r.CommandId!.Value, r => reasons[r.Id]);
            var keys = commandIds.Keys.ToList();
            foreach (var command in await db.Commands.Where(c => keys.Contains(c.Id)).ToListAsync())
                if (!command.IsFinal) command.Finish(CommandStatus.Timeout, null, commandIds[command.Id], now);
            foreach (var run in stale) run.TimeOut(now, reasons[run.Id]);
            return stale.Select(r => r.InvocationId).Distinct().ToList();
        });
        foreach (var id in touched)
        {
            events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, now, id));
            engine.Kick(id);
        }
        return touched.Count;
    }

    // Complete is left to the result that is finishing it.
    private static IQueryable<TargetRun> Unfinished(FleetDbContext db) =>
        db.TargetRuns.Where(TargetRun.Unfinished).Where(r => r.Status != TargetRunStatus.Complete);

    private static string Describe(TimeSpan limit) =>
        limit >= TimeSpan.FromDays(1) ? $"Not complete after {limit.TotalDays:0.##} days." : $"Not complete after {limit.TotalSeconds:0} s (target-run timeout).";
}
