using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Jobs;

/// <summary>
/// Seed 004: a target run not complete after its timeout (7 days by default,
/// <c>Fleet:Execution:TargetRunTimeoutDays</c>) becomes <c>timeout</c>; its command, if still open, ends too.
/// Safe to run twice: finished runs are never touched.
/// </summary>
public sealed class TargetRunTimeoutJob(DbWriteBatcher writer, IFleetEvents events, IConfiguration configuration, TimeProvider clock)
{
    public const string RecurringId = "target-runs:timeout";

    public TimeSpan Timeout => TimeSpan.FromDays(Math.Max(0.0001, configuration.GetValue("Fleet:Execution:TargetRunTimeoutDays", 7.0)));

    public async Task<int> RunAsync()
    {
        var now = clock.GetUtcNow();
        var createdBefore = now - Timeout;
        var reason = $"Not complete after {Timeout.TotalDays:0.##} days.";
        var touched = await writer.WriteAsync(async db =>
        {
            var stale = await db.TargetRuns.Where(r => r.CreatedAt < createdBefore &&
                    r.Status != TargetRunStatus.Success && r.Status != TargetRunStatus.Failure && r.Status != TargetRunStatus.Cancelled &&
                    r.Status != TargetRunStatus.Timeout && r.Status != TargetRunStatus.Invalid && r.Status != TargetRunStatus.Complete)
                .Take(5000).ToListAsync();
            var commandIds = stale.Where(r => r.CommandId != null).Select(r => r.CommandId!.Value).ToList();
            foreach (var command in await db.Commands.Where(c => commandIds.Contains(c.Id)).ToListAsync())
                if (!command.IsFinal) command.Finish(CommandStatus.Timeout, null, reason, now);
            foreach (var run in stale) run.TimeOut(now, reason);
            return stale.Select(r => r.InvocationId).Distinct().ToList();
        });
        foreach (var id in touched) events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, now, id));
        return touched.Count;
    }
}
