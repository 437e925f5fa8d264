using System.Text.Json;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

public sealed partial class InvocationService
{
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
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            var outcome = InvocationStatus.ParseLabel(query.Status);
            invocations = invocations.Where(i => i.Outcome == outcome);
        }
        var total = await invocations.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var page = await invocations.OrderByDescending(i => i.Id).Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Paged<InvocationRow>(page.Select(ToRow).ToList(), total);
    }

    public static InvocationRow ToRow(Invocation i) => new(i.Id, i.Description ?? i.TemplateName, i.JobCategory, i.Outcome.Label(),
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
        var row = ToRow(invocation) with
        {
            StatusLabel = InvocationStatus.Of(invocation.State, counts).Label(), Succeeded = counts.Succeeded, Failed = counts.Failed, Pending = counts.Pending,
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

    public async Task<InvocationSearchPage> SearchAsync(InvocationSearchQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var filtered = InvocationSearch.Apply(db.Invocations.AsNoTracking(), db, query.Search);
        var (ordered, by, order) = InvocationSearch.Order(filtered, query.Order);
        var total = await db.Invocations.CountAsync(ct);
        var subtotal = await filtered.CountAsync(ct);
        var paged = query.PerPage is { } perPage ? ordered.Skip((Math.Max(1, query.Page) - 1) * perPage).Take(perPage) : ordered;
        var items = await paged.ToListAsync(ct);
        var ids = items.Select(i => i.Id).ToList();
        var withRuns = (await db.TargetRuns.Where(r => ids.Contains(r.InvocationId)).Select(r => r.InvocationId).Distinct().ToListAsync(ct)).ToHashSet();
        return new InvocationSearchPage(total, subtotal, by, order, items.Select(i => Snapshot(i, i.Counts, withRuns.Contains(i.Id))).ToList());
    }

    public async Task<InvocationRecord?> FindAsync(long invocationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocation = await db.Invocations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invocationId, ct);
        if (invocation is null) return null;
        var hosts = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).OrderBy(r => r.Position)
            .Select(r => new TargetHost(r.HostId, r.DeviceName, r.Status)).ToListAsync(ct);
        var logic = invocation.RecurringLogicId is { } logicId ? await db.RecurringLogics.AsNoTracking().FirstOrDefaultAsync(l => l.Id == logicId, ct) : null;
        return new InvocationRecord(Snapshot(invocation, RunCounts.From(hosts.Select(h => h.Status)), hosts.Count > 0), hosts, logic);
    }

    public async Task<InvocationSnapshot?> FindSnapshotAsync(long invocationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invocation = await db.Invocations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invocationId, ct);
        return invocation is null ? null : Snapshot(invocation, invocation.Counts, invocation.Counts.Total > 0);
    }

    /// <summary>A dynamic query's targets are unknown until it starts; a static one's are fixed at creation.</summary>
    private static InvocationSnapshot Snapshot(Invocation invocation, RunCounts counts, bool hasRuns) =>
        new(invocation, counts, hasRuns || invocation.TargetingType == TargetingType.StaticQuery);

    public async Task<IReadOnlyList<Guid>?> TargetedHostsAsync(long invocationId, string? searchQuery, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Invocations.AnyAsync(i => i.Id == invocationId, ct)) return null;
        var targeted = db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).OrderBy(r => r.Position).Select(r => r.HostId);
        return string.IsNullOrWhiteSpace(searchQuery)
            ? await targeted.ToListAsync(ct)
            : await TargetResolver.Query(db, searchQuery).Where(h => targeted.Contains(h.Id)).Select(h => h.Id).ToListAsync(ct);
    }

    public IReadOnlyList<DateTimeOffset> NextOccurrences(string cronLine, TimeZoneInfo timeZone, DateTimeOffset from, int count) =>
        Fleet.Domain.Execution.Schedule.NextOccurrences(cronLine, timeZone, from, count);
}
