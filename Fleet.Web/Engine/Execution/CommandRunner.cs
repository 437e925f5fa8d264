using System.Diagnostics;
using System.Text;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

public sealed record HostCommandResult(Guid HostId, string Hostname, Guid TargetRunId, TargetRunStatus Status, int? ExitCode, string Stdout, string Stderr,
    double ExecutionSeconds, string? Reason);

/// <summary>
/// For the synchronous host commands of seed 001: run an invocation on the engine like any job, and
/// wait (up to a limit) for its results. The work is visible in the dashboard like every other job.
/// </summary>
public sealed class CommandRunner(InvocationService invocations, IDbContextFactory<FleetDbContext> dbFactory)
{
    public async Task<(long InvocationId, IReadOnlyList<HostCommandResult> Results)> RunAsync(InvocationSpec spec, string owner, TimeSpan wait, CancellationToken ct)
    {
        var invocationId = await invocations.CreateAsync(spec, owner, null, ct);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < wait)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                if (await db.Invocations.AnyAsync(i => i.Id == invocationId && i.State == InvocationState.Stopped, ct)) break;
            }
            await Task.Delay(50, ct);
        }
        return (invocationId, await ResultsAsync(invocationId, ct));
    }

    public async Task<IReadOnlyList<HostCommandResult>> ResultsAsync(long invocationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).OrderBy(r => r.Position).ToListAsync(ct);
        var commandIds = runs.Where(r => r.CommandId != null).Select(r => r.CommandId!.Value).ToList();
        var commands = await db.Commands.AsNoTracking().Where(c => commandIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var chunks = await db.OutputChunks.AsNoTracking().Where(c => commandIds.Contains(c.CommandId)).OrderBy(c => c.Sequence)
            .Select(c => new { c.CommandId, c.Stream, c.Text }).ToListAsync(ct);
        var results = new List<HostCommandResult>(runs.Count);
        foreach (var run in runs)
        {
            var command = run.CommandId is { } id ? commands.GetValueOrDefault(id) : null;
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            foreach (var chunk in chunks.Where(c => c.CommandId == run.CommandId))
                (chunk.Stream == OutputStream.Stderr ? stderr : stdout).Append(chunk.Text);
            var seconds = command?.StartedAt is { } started && command.FinishedAt is { } finished ? (finished - started).TotalSeconds : 0;
            results.Add(new HostCommandResult(run.HostId, run.DeviceName, run.Id, run.Status, command?.ExitCode, stdout.ToString(), stderr.ToString(),
                Math.Round(seconds, 3), run.Reason ?? command?.Error));
        }
        return results;
    }
}
