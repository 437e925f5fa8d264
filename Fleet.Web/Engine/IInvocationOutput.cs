namespace Fleet.Web.Engine;

public sealed record OutputLine(long Sequence, string Stream, string Text, DateTimeOffset At);

/// <param name="NextSequence">Pass back as <c>sinceSequence</c> to get only what came after.</param>
/// <param name="Complete">The host's run has ended (more lines may still be unread: see <paramref name="More"/>).</param>
/// <param name="More">More lines were written after this page than it holds.</param>
/// <param name="HostTargeted">False when the invocation has no run on that host (then the page is empty).</param>
public sealed record OutputPage(IReadOnlyList<OutputLine> Lines, long NextSequence, bool Complete, bool More = false, bool HostTargeted = true);

/// <summary>One host's run within an <see cref="OutputGroup"/>.</summary>
public sealed record GroupedHost(string Hostname, string Status, int? ExitCode);

/// <summary>
/// Hosts whose output is identical, each output once; the hosts say how each run ended, since the same
/// output (often none at all) can come from runs that ended differently.
/// </summary>
public sealed record OutputGroup(string OutputSample, IReadOnlyList<GroupedHost> Hosts)
{
    public int HostCount => Hosts.Count;

    /// <summary>Groups runs by output alone, biggest group first; outputs longer than <paramref name="sampleLength"/> are cut.</summary>
    public static IReadOnlyList<OutputGroup> Group(IEnumerable<(GroupedHost Host, string Output)> runs, int sampleLength = 2000) =>
        runs.GroupBy(r => r.Output, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new OutputGroup(g.Key.Length > sampleLength ? g.Key[..sampleLength] + "…" : g.Key,
                g.Select(r => r.Host).OrderBy(h => h.Status, StringComparer.Ordinal).ThenBy(h => h.Hostname, StringComparer.Ordinal).ToList()))
            .ToList();
}

/// <summary>
/// A host's output, paged by one cursor, the chunk sequence, for the dashboard and every API alike.
/// </summary>
public interface IInvocationOutput
{
    /// <summary>
    /// The cursor before every line, including the agent's sequence-0 note that earlier output was cut
    /// (the dashboard starts from 0 and leaves that note out).
    /// </summary>
    const long FromTheStart = -1;

    Task<OutputPage> GetOutputAsync(long invocationId, Guid hostId, long sinceSequence, int maxLines, CancellationToken ct = default);
    /// <summary>
    /// The cursor to page from so that the first line returned is the first one written at or after
    /// <paramref name="time"/> (for APIs whose clients page by timestamp); output is written in time order.
    /// <see cref="FromTheStart"/> when nothing was written before.
    /// </summary>
    Task<long> SequenceBeforeAsync(long invocationId, Guid hostId, DateTimeOffset time, CancellationToken ct = default);
    Task<IReadOnlyList<OutputGroup>> GroupByOutputAsync(long invocationId, CancellationToken ct = default);
}
