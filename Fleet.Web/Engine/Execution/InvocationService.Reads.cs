using System.Text.Json;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

public sealed partial class InvocationService
{
    public async Task<IReadOnlyList<JobTemplateView>> ListTemplatesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var templates = await db.JobTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        return templates.Select(ToView).ToList();
    }

    public static JobTemplateView ToView(JobTemplate t) => new(t.Id, t.Name, t.JobCategory, t.Description, t.Script,
        t.Inputs.Select(i => new TemplateInputView(i.Name, i.Description, i.Required, i.Default, i.Options ?? [], i.Sensitive)).ToList(),
        t.EffectiveUser, t.DefaultTimeoutSeconds, t.DescriptionFormat, t.Feature);

    public async Task<TargetPreview> PreviewTargetsAsync(string? searchQuery, IReadOnlyList<Guid>? hostIds, int sampleSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = hostIds is { Count: > 0 }
            ? db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id) && h.Approval == Fleet.Domain.Hosts.HostApproval.Approved)
            : TargetResolver.Query(db, searchQuery);
        var count = await query.CountAsync(ct);
        var sample = await query.OrderBy(h => h.Hostname).Take(Math.Clamp(sampleSize, 0, 100)).ToListAsync(ct);
        return new TargetPreview(count, sample.Select(FleetReader.ToRow).ToList());
    }

    public async Task<Paged<InvocationRow>> ListAsync(InvocationListQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocations = db.Invocations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLower();
            invocations = long.TryParse(term, out var id)
                ? invocations.Where(i => i.Id == id)
                : invocations.Where(i => (i.Description ?? "").ToLower().Contains(term) || i.JobCategory.ToLower().Contains(term) ||
                                         i.TemplateName.ToLower().Contains(term) || i.Owner.ToLower().Contains(term));
        }
        if (!string.IsNullOrWhiteSpace(query.Status)) invocations = invocations.Where(i => i.StatusLabel == query.Status);
        var total = await invocations.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var page = await invocations.OrderByDescending(i => i.Id).Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Paged<InvocationRow>(page.Select(ToRow).ToList(), total);
    }

    public static InvocationRow ToRow(Invocation i) => new(i.Id, i.Description ?? i.TemplateName, i.JobCategory, i.StatusLabel,
        i.Succeeded, i.Failed, i.Pending, i.RunningCount, i.Cancelled, i.Counts.Total, i.CreatedAt, i.StartAt, i.RecurringLogicId is not null, i.Owner,
        i.StartedAt, i.EndedAt);

    public async Task<InvocationDetail?> GetAsync(long invocationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocation = await db.Invocations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invocationId, ct);
        if (invocation is null) return null;
        var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).OrderBy(r => r.Position).ToListAsync(ct);
        var exitCodes = await db.Commands.AsNoTracking().Where(c => runs.Select(r => r.Id).Contains(c.TargetRunId))
            .Select(c => new { c.TargetRunId, c.ExitCode }).ToDictionaryAsync(c => c.TargetRunId, c => c.ExitCode, ct);
        var logic = invocation.RecurringLogicId is { } logicId ? await db.RecurringLogics.AsNoTracking().FirstOrDefaultAsync(l => l.Id == logicId, ct) : null;
        var template = invocation.TemplateId is { } templateId ? await db.JobTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct) : null;
        var counts = RunCounts.From(runs.Select(r => r.Status));
        var (_, label) = InvocationStatus.Of(invocation.State, counts);
        var row = ToRow(invocation) with
        {
            StatusLabel = label, Succeeded = counts.Succeeded, Failed = counts.Failed, Pending = counts.Pending,
            Running = counts.Running, Cancelled = counts.Cancelled, Total = counts.Total,
        };
        return new InvocationDetail(row, invocation.TemplateName, MaskedScript(invocation, template), invocation.TargetingType == TargetingType.StaticQuery ? "static_query" : "dynamic_query",
            invocation.SearchQuery, invocation.ConcurrencyLevel, invocation.TimeToPickupSeconds, invocation.ExecutionTimeoutSeconds, invocation.EffectiveUser,
            logic?.CronLine, logic?.NextOccurrence, invocation.State.ToString().ToLowerInvariant(), invocation.CancelReason,
            runs.Select(r => new TargetRunRow(r.Id, r.HostId, r.DeviceName, r.Status.Wire(), exitCodes.GetValueOrDefault(r.Id), r.StartedAt, r.EndedAt, r.Reason)).ToList(),
            invocation.Waves, invocation.FailureThreshold, invocation.HaltReason);
    }

    /// <summary>The script as people may see it: sensitive input values replaced.</summary>
    public static string MaskedScript(Invocation invocation, JobTemplate? template)
    {
        if (template is null || template.Inputs.All(i => !i.Sensitive)) return invocation.Script;
        var inputs = JsonSerializer.Deserialize<Dictionary<string, string>>(invocation.InputsJson) ?? [];
        return template.RenderMasked(inputs);
    }

    public async Task<OutputPage> GetOutputAsync(long invocationId, Guid hostId, long sinceSequence, int maxLines, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId && r.HostId == hostId)
            .Select(r => new { r.CommandId, r.Status }).FirstOrDefaultAsync(ct);
        if (run is null) return new OutputPage([], sinceSequence, true);
        var lines = run.CommandId is { } commandId
            ? await db.OutputChunks.AsNoTracking().Where(c => c.CommandId == commandId && c.Sequence > sinceSequence)
                .OrderBy(c => c.Sequence).Take(Math.Clamp(maxLines, 1, 10_000))
                .Select(c => new OutputLine(c.Sequence, c.Stream == OutputStream.Stderr ? "stderr" : c.Stream == OutputStream.Debug ? "debug" : "stdout", c.Text, c.At))
                .ToListAsync(ct)
            : [];
        return new OutputPage(lines, lines.Count > 0 ? lines[^1].Sequence : sinceSequence, run.Status.IsFinal());
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
        return runs
            .Select(r => new
            {
                r.DeviceName,
                Status = r.Status.Wire(),
                ExitCode = r.CommandId is { } id ? exitCodes.GetValueOrDefault(id) : null,
                Output = r.CommandId is { } cid && outputs.TryGetValue(cid, out var text) ? text.ToString() : "",
            })
            .GroupBy(r => (r.ExitCode, r.Status, r.Output))
            .OrderByDescending(g => g.Count())
            .Select(g => new OutputGroup(g.Key.ExitCode, g.Key.Status, g.Key.Output.Length > 2000 ? g.Key.Output[..2000] + "…" : g.Key.Output,
                g.Count(), g.Select(r => r.DeviceName).Order().ToList()))
            .ToList();
    }
}
