using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Fakes;

/// <summary>In-memory engine for component tests: records what pages ask, answers with what the test set.</summary>
public sealed class FakeInvocationService : IInvocationService
{
    public List<NewJob> Created { get; } = [];
    public List<(long Id, bool Force)> Cancelled { get; } = [];
    public List<(long Id, RerunFilter Filter)> Reruns { get; } = [];
    public Dictionary<long, InvocationDetail> Details { get; } = [];
    public Dictionary<(long, Guid), List<OutputLine>> Output { get; } = [];
    public List<OutputGroup> Groups { get; } = [];
    public List<InvocationRow> Rows { get; } = [];
    public List<InvocationListQuery> ListQueries { get; } = [];
    public Func<string?, TargetPreview> Preview { get; set; } = _ => new TargetPreview(0, []);
    public long NextId { get; set; } = 42;

    public Task<TargetPreview> PreviewTargetsAsync(string? searchQuery, IReadOnlyList<Guid>? hostIds, int sampleSize, CancellationToken ct = default) =>
        Task.FromResult(Preview(searchQuery));

    public Task<long> CreateAsync(NewJob job, string owner, CancellationToken ct = default)
    {
        Created.Add(job);
        return Task.FromResult(NextId);
    }

    public Task<Paged<InvocationRow>> ListAsync(InvocationListQuery query, CancellationToken ct = default)
    {
        ListQueries.Add(query);
        var rows = Rows.Where(r => query.Status is null || r.StatusLabel == query.Status).ToList();
        return Task.FromResult(new Paged<InvocationRow>(rows, rows.Count));
    }

    public Task<InvocationDetail?> GetAsync(long invocationId, CancellationToken ct = default) => Task.FromResult(Details.GetValueOrDefault(invocationId));

    // The API façades' reads: pages never call them.
    public Task<InvocationSearchPage> SearchAsync(InvocationSearchQuery query, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<InvocationRecord?> FindAsync(long invocationId, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<InvocationSnapshot?> FindSnapshotAsync(long invocationId, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Guid>?> TargetedHostsAsync(long invocationId, string? searchQuery, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<OutputPage> GetOutputAsync(long invocationId, Guid hostId, long sinceSequence, int maxLines, CancellationToken ct = default)
    {
        var lines = Output.GetValueOrDefault((invocationId, hostId)) ?? [];
        var page = lines.Where(l => l.Sequence > sinceSequence).Take(maxLines).ToList();
        return Task.FromResult(new OutputPage(page, page.Count > 0 ? page[^1].Sequence : sinceSequence, true));
    }

    public Task<long> SequenceBeforeAsync(long invocationId, Guid hostId, DateTimeOffset time, CancellationToken ct = default) =>
        Task.FromResult((Output.GetValueOrDefault((invocationId, hostId)) ?? []).Where(l => l.At < time).Select(l => l.Sequence).DefaultIfEmpty(IInvocationOutput.FromTheStart).Max());

    public Task<IReadOnlyList<OutputGroup>> GroupByOutputAsync(long invocationId, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<OutputGroup>>(Groups);

    public Task CancelAsync(long invocationId, bool force, string by, CancellationToken ct = default)
    {
        Cancelled.Add((invocationId, force));
        return Task.CompletedTask;
    }

    public Task<long> RerunAsync(long invocationId, RerunFilter filter, string owner, CancellationToken ct = default)
    {
        Reruns.Add((invocationId, filter));
        return Task.FromResult(NextId);
    }

    public IReadOnlyList<DateTimeOffset> NextOccurrences(string cronLine, TimeZoneInfo timeZone, DateTimeOffset from, int count) =>
        Schedule.NextOccurrences(cronLine, timeZone, from, count);
}
