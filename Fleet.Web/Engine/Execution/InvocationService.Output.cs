using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

/// <summary>Output: one pager by chunk sequence for every reader, and the dashboard's grouping by identical output.</summary>
public sealed partial class InvocationService
{
    public async Task<OutputPage> GetOutputAsync(long invocationId, Guid hostId, long sinceSequence, int maxLines, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId && r.HostId == hostId)
            .Select(r => new { r.CommandId, r.Status }).FirstOrDefaultAsync(ct);
        if (run is null) return new OutputPage([], sinceSequence, true, HostTargeted: false);
        var pageSize = Math.Clamp(maxLines, 1, 10_000);
        // One line beyond the page tells whether there is more without a second count.
        var lines = run.CommandId is { } commandId
            ? await db.OutputChunks.AsNoTracking().Where(c => c.CommandId == commandId && c.Sequence > sinceSequence)
                .OrderBy(c => c.Sequence).Take(pageSize + 1)
                .Select(c => new OutputLine(c.Sequence, c.Stream == OutputStream.Stderr ? "stderr" : c.Stream == OutputStream.Debug ? "debug" : "stdout", c.Text, c.At))
                .ToListAsync(ct)
            : [];
        var more = lines.Count > pageSize;
        if (more) lines.RemoveAt(pageSize);
        return new OutputPage(lines, lines.Count > 0 ? lines[^1].Sequence : sinceSequence, run.Status.IsFinal(), more);
    }

    public async Task<long> SequenceBeforeAsync(long invocationId, Guid hostId, DateTimeOffset time, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var commandId = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId && r.HostId == hostId)
            .Select(r => r.CommandId).FirstOrDefaultAsync(ct);
        if (commandId is null) return IInvocationOutput.FromTheStart;
        return await db.OutputChunks.AsNoTracking().Where(c => c.CommandId == commandId && c.At < time)
            .MaxAsync(c => (long?)c.Sequence, ct) ?? IInvocationOutput.FromTheStart;
    }

    public async Task<IReadOnlyList<OutputGroup>> GroupByOutputAsync(long invocationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId)
            .Select(r => new { r.DeviceName, r.Status, r.CommandId }).ToListAsync(ct);
        var commandIds = runs.Where(r => r.CommandId != null).Select(r => r.CommandId!.Value).ToList();
        var exitCodes = new Dictionary<Guid, int?>();
        var outputs = new Dictionary<Guid, System.Text.StringBuilder>();
        foreach (var chunk in commandIds.Chunk(500))
        {
            foreach (var c in await db.Commands.AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => new { c.Id, c.ExitCode }).ToListAsync(ct))
                exitCodes[c.Id] = c.ExitCode;
            // Only the first 64 KB of each host's output decides its bucket, so one huge output cannot exhaust memory.
            foreach (var piece in await db.OutputChunks.AsNoTracking().Where(o => chunk.Contains(o.CommandId)).OrderBy(o => o.CommandId).ThenBy(o => o.Sequence)
                         .Select(o => new { o.CommandId, o.Text }).ToListAsync(ct))
            {
                var builder = outputs.TryGetValue(piece.CommandId, out var b) ? b : outputs[piece.CommandId] = new();
                if (builder.Length < 65_536) builder.Append(piece.Text);
            }
        }
        return OutputGroup.Group(runs.Select(r => (
            new GroupedHost(r.DeviceName, r.Status.Wire(), r.CommandId is { } id ? exitCodes.GetValueOrDefault(id) : null),
            r.CommandId is { } cid && outputs.TryGetValue(cid, out var text) ? text.ToString() : "")));
    }
}
