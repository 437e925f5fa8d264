using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

/// <summary>
/// What agents report about commands (started, output, finished), applied through the batching writer:
/// one query loads the commands and target runs of the whole batch, the entities move, the output
/// chunks are inserted, and one transaction commits it all. Each agent's call completes only when its
/// report is committed, so nothing acknowledged can be lost. Invocations whose runs moved are handed
/// to the engine (<see cref="IInvocationKicker"/>) to dispatch more or close.
/// </summary>
public sealed class ResultWriter(
    IDbContextFactory<FleetDbContext> dbFactory,
    IFleetEvents events,
    IInvocationKicker engine,
    RunOutcomes outcomes,
    TimeProvider clock,
    ILogger<ResultWriter> logger) : BatchWriter<ResultWriter.Report>(MaxBatch, logger)
{
    private const int MaxBatch = 5000;

    public Task StartedAsync(Guid hostId, Guid commandId) => EnqueueAsync(new Report(hostId, commandId, null, null));

    public Task OutputAsync(Guid hostId, CommandOutputBatch batch) =>
        batch.Chunks.Count == 0 ? Task.CompletedTask : EnqueueAsync(new Report(hostId, batch.CommandId, batch, null));

    public Task FinishedAsync(Guid hostId, CommandResultMessage result) => EnqueueAsync(new Report(hostId, result.CommandId, null, result));

    protected override async Task WriteBatchAsync(IReadOnlyList<Report> batch)
    {
        var (touched, ended, stamped) = await ApplyAsync(batch);
        if (touched.Count == 0) return;
        // Before the events: a caller woken by one finds the outcomes already handed over.
        foreach (var (invocationId, position, result) in ended) outcomes.Committed(invocationId, position, result);
        foreach (var invocationId in touched)
        {
            // At the stamp the runs were written with, not the commit: the live publisher reads changes from an event's time.
            events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, stamped, invocationId));
            engine.Kick(invocationId);
        }
    }

    private async Task<(HashSet<long> Touched, List<(long InvocationId, int Position, HostCommandResult Result)> Ended, DateTimeOffset Stamped)> ApplyAsync(
        IReadOnlyList<Report> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var commandIds = batch.Select(r => r.CommandId).Distinct().ToList();
        // Another instance (a sweep, or this agent's reports replayed there after a reconnect) may decide about the same commands.
        await RowLocks.LockCommandsAsync(db, commandIds);
        // Stamped once the locks are held (SQLite's write lock is taken by BEGIN IMMEDIATE): readers that follow changes by
        // UpdatedAt with an overlap then only have to cover this batch's own work, not the time it waited for the lock.
        var now = clock.GetUtcNow();
        // Untracked, and written back set-based below: thousands of results cost a few statements, not three per host.
        var commands = await db.Commands.AsNoTracking().Where(c => commandIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var runIds = commands.Values.Select(c => c.TargetRunId).Distinct().ToList();
        var runs = await db.TargetRuns.AsNoTracking().Where(r => runIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id);
        var commandChanges = BulkWrites.Track(db, commands.Values);
        var runChanges = BulkWrites.Track(db, runs.Values);
        var chunks = new List<OutputChunk>();
        var touched = new HashSet<long>();
        var ended = new List<(long, int, HostCommandResult)>();
        // Replayed output (from an agent's journal after a reconnect) may overlap what arrived live: keep the first copy.
        var replayedIds = batch.Where(r => r.Output is { Replayed: true }).Select(r => r.CommandId).Distinct().ToList();
        var stored = replayedIds.Count == 0 ? [] : (await db.OutputChunks.Where(c => replayedIds.Contains(c.CommandId))
            .Select(c => new { c.CommandId, c.Sequence }).ToListAsync()).Select(c => (c.CommandId, c.Sequence)).ToHashSet();
        foreach (var report in batch)
        {
            // A report about another host's command is ignored: an agent speaks only for itself.
            if (!commands.TryGetValue(report.CommandId, out var command) || command.HostId != report.HostId) continue;
            var moved = false;
            var whole = false;
            var firstChunk = 0;
            if (report.Output is { } output)
            {
                foreach (var chunk in output.Chunks)
                {
                    if (output.Replayed && !stored.Add((command.Id, chunk.Sequence))) continue;
                    chunks.Add(new OutputChunk(command.Id, chunk.Sequence, chunk.Stream, chunk.Text, chunk.At));
                }
                moved = command.Status is CommandStatus.Queued or CommandStatus.Initiated or CommandStatus.Acknowledged && command.Start(now);
            }
            else if (report.Result is { } result)
            {
                // A short command is reported by its result alone: its output comes with it, and a result of a process that
                // ran (an exit code or output) is also its start, so the run passes through running as it always did.
                // Nothing about a command that had not started was stored before: this report is all of its result.
                whole = command.Status is CommandStatus.Queued or CommandStatus.Initiated or CommandStatus.Acknowledged;
                firstChunk = chunks.Count;
                foreach (var chunk in result.Output ?? [])
                    if (!stored.Contains((command.Id, chunk.Sequence)))
                        chunks.Add(new OutputChunk(command.Id, chunk.Sequence, chunk.Stream, chunk.Text, chunk.At));
                if ((result.ExitCode is not null || result.Output is { Count: > 0 }) &&
                    command.Status is CommandStatus.Queued or CommandStatus.Initiated or CommandStatus.Acknowledged && command.Start(now) &&
                    runs.TryGetValue(command.TargetRunId, out var starting))
                    starting.FollowCommand(command.Status, now);
                var outcome = result.Outcome.IsFinal() ? result.Outcome : CommandStatus.Failure;
                moved = command.Finish(outcome, result.ExitCode, result.Error, now);
                if (!moved) Logger.LogInformation("Late result for command {CommandId} kept; it had already ended as {Status}", command.Id, command.Status);
            }
            else
            {
                moved = command.Start(now);
            }
            if (!moved || !runs.TryGetValue(command.TargetRunId, out var run)) continue;
            run.FollowCommand(command.Status, now, command.IsFinal ? command.Error : null);
            touched.Add(run.InvocationId);
            if (whole && run.IsFinal && outcomes.IsFollowed(run.InvocationId))
                ended.Add((run.InvocationId, run.Position, HostCommandResult.Of(run.HostId, run.DeviceName, run.Id, run.Status, run.Reason,
                    command.ExitCode, command.Error, command.StartedAt, command.FinishedAt,
                    chunks.Skip(firstChunk).OrderBy(c => c.Sequence).Select(c => (c.Stream, c.Text)))));
        }
        await commandChanges.SaveAsync();
        await runChanges.SaveAsync();
        await BulkWrites.InsertAsync(db, chunks);
        await transaction.CommitAsync();
        return (touched, ended, now);
    }

    /// <summary>One agent report: started (neither part), an output batch, or the result.</summary>
    public sealed record Report(Guid HostId, Guid CommandId, CommandOutputBatch? Output, CommandResultMessage? Result);
}
