namespace Fleet.Web.Engine;

public sealed record OutputLine(long Sequence, string Stream, string Text, DateTimeOffset At);

/// <param name="NextSequence">Pass back as <c>sinceSequence</c> to get only what came after.</param>
/// <param name="Complete">The host's run has ended (more lines may still be unread: see <paramref name="More"/>).</param>
/// <param name="More">More lines were written after this page than it holds.</param>
/// <param name="HostTargeted">False when the invocation has no run on that host (then the page is empty).</param>
public sealed record OutputPage(IReadOnlyList<OutputLine> Lines, long NextSequence, bool Complete, bool More = false, bool HostTargeted = true);

/// <summary>Hosts whose runs ended with the same exit code and identical output.</summary>
public sealed record OutputGroup(int? ExitCode, string Status, string OutputSample, int HostCount, IReadOnlyList<string> Hostnames);

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
