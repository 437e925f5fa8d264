using System.Text.Json;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Execution;

/// <param name="Result">Null while the command has started but not finished.</param>
/// <param name="Acknowledged">The server confirmed it recorded the result; until then result and output are replayed after a reconnect.</param>
public sealed record CommandJournalEntry(Guid CommandId, DateTimeOffset StartedAt, CommandResultMessage? Result, bool Acknowledged = false)
{
    public DateTimeOffset LastChangedAt => Result?.FinishedAt ?? StartedAt;
}

/// <summary>
/// One file per command, so that a command runs at most once even when the server sends it again or the agent restarts:
/// <c>{id}.json</c> is written before the process starts and rewritten with the result when it ends. Its output is appended
/// to <c>{id}.out</c> (one chunk per line) as it is sent, so output the server missed while unreachable can be replayed;
/// both are kept until the server acknowledges the result.
/// </summary>
public sealed class CommandJournal
{
    /// <summary>How much of a command's output is kept for replay: the last megabyte, behind a note saying the rest was dropped.</summary>
    public const long MaxReplayBytes = 1024 * 1024;
    public const string TruncatedNote = "[fleet-agent] Output truncated: only the last 1 MB was kept while the server was unreachable.\n";
    private readonly string _directory;
    private readonly Lock _outputGate = new();

    public CommandJournal(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    public CommandJournalEntry? Read(Guid commandId)
    {
        var path = PathOf(commandId);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), AgentStateJsonContext.Default.CommandJournalEntry);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // Writes replace the file whole, so this is damage from outside or an unsynced rewrite cut short by a power cut;
            // "started, outcome unknown" is the honest reading.
            return new CommandJournalEntry(commandId, File.GetLastWriteTimeUtc(path), null);
        }
    }

    /// <summary>
    /// Written through to the disk before the process starts: this entry is what stops a command from running twice, also
    /// after a power cut. The later rewrites are not synced: the page cache keeps them across an agent restart, and what a
    /// power cut could cost is a result (read back as "started, outcome unknown") or an acknowledgement (one more replay).
    /// </summary>
    public void RecordStarted(Guid commandId, DateTimeOffset startedAt) => Write(new CommandJournalEntry(commandId, startedAt, null), durable: true);

    public void RecordFinished(CommandResultMessage result) => Write(new CommandJournalEntry(result.CommandId, result.StartedAt, result), durable: false);

    /// <summary>The server has the result (and the output before it): nothing of this command needs replaying any more.</summary>
    public void MarkAcknowledged(Guid commandId)
    {
        if (Read(commandId) is not { Result: not null, Acknowledged: false } entry) return;
        Write(entry with { Acknowledged = true }, durable: false);
        lock (_outputGate) File.Delete(OutputPathOf(commandId));
    }

    /// <summary>Finished commands whose result the server has not acknowledged, oldest first.</summary>
    public IReadOnlyList<CommandJournalEntry> Unacknowledged() =>
        Directory.EnumerateFiles(_directory, "*.json")
            .Select(path => Guid.TryParse(Path.GetFileNameWithoutExtension(path), out var id) ? Read(id) : null)
            .Where(e => e is { Result: not null, Acknowledged: false })
            .Select(e => e!)
            .OrderBy(e => e.LastChangedAt)
            .ToList();

    public void AppendOutput(CommandOutputBatch batch)
    {
        if (batch.Chunks.Count == 0) return;
        lock (_outputGate)
        {
            var path = OutputPathOf(batch.CommandId);
            long length;
            using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write))
            {
                foreach (var chunk in batch.Chunks)
                {
                    JsonSerializer.Serialize(stream, chunk, AgentStateJsonContext.Default.OutputChunkMessage);
                    stream.WriteByte((byte)'\n');
                }
                length = stream.Length;
            }
            // Bounded on disk too: a command that prints for hours while the server is away must not fill the disk.
            if (length > 2 * MaxReplayBytes) Compact(path);
        }
    }

    /// <summary>The output kept for replay: at most the last <see cref="MaxReplayBytes"/>, with a note first if earlier output was dropped.</summary>
    public IReadOnlyList<OutputChunkMessage> ReadOutput(Guid commandId)
    {
        lock (_outputGate) return LastMegabyte(ReadChunks(OutputPathOf(commandId)));
    }

    private static List<OutputChunkMessage> ReadChunks(string path)
    {
        var chunks = new List<OutputChunkMessage>();
        if (!File.Exists(path)) return chunks;
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                if (JsonSerializer.Deserialize(line, AgentStateJsonContext.Default.OutputChunkMessage) is { } chunk) chunks.Add(chunk);
            }
            catch (JsonException)
            {
                // A line cut short by a crash mid-append; the lines around it are intact.
            }
        }
        return chunks;
    }

    private static List<OutputChunkMessage> LastMegabyte(List<OutputChunkMessage> chunks)
    {
        var truncated = chunks.Any(c => c.Sequence == 0);
        var kept = new List<OutputChunkMessage>();
        long bytes = 0;
        for (var i = chunks.Count - 1; i >= 0; i--)
        {
            if (chunks[i].Sequence == 0) continue;
            bytes += System.Text.Encoding.UTF8.GetByteCount(chunks[i].Text);
            if (bytes > MaxReplayBytes)
            {
                truncated = true;
                break;
            }
            kept.Add(chunks[i]);
        }
        kept.Reverse();
        // Sequence 0 is never used by a real chunk, so the note has its own place before the kept output.
        if (truncated) kept.Insert(0, new OutputChunkMessage(0, OutputStream.Debug, TruncatedNote, kept.FirstOrDefault()?.At ?? DateTimeOffset.UnixEpoch));
        return kept;
    }

    private static void Compact(string path)
    {
        var kept = LastMegabyte(ReadChunks(path));
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            foreach (var chunk in kept)
            {
                JsonSerializer.Serialize(stream, chunk, AgentStateJsonContext.Default.OutputChunkMessage);
                stream.WriteByte((byte)'\n');
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Deletes entries last changed before <paramref name="cutoff"/>, and temporary files a crash left behind.</summary>
    public int Prune(DateTimeOffset cutoff)
    {
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            DateTimeOffset changed;
            if (path.EndsWith(".json", StringComparison.Ordinal) && Guid.TryParse(Path.GetFileNameWithoutExtension(path), out var id))
                changed = Read(id)?.LastChangedAt ?? DateTimeOffset.MaxValue;
            else if (path.EndsWith(".tmp", StringComparison.Ordinal) ||
                     (path.EndsWith(".out", StringComparison.Ordinal) && !File.Exists(Path.ChangeExtension(path, ".json"))))
                changed = File.GetLastWriteTimeUtc(path);
            else
                continue;
            if (changed >= cutoff) continue;
            File.Delete(path);
            if (path.EndsWith(".json", StringComparison.Ordinal)) File.Delete(Path.ChangeExtension(path, ".out"));
            removed++;
        }
        return removed;
    }

    private void Write(CommandJournalEntry entry, bool durable)
    {
        var path = PathOf(entry.CommandId);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, entry, AgentStateJsonContext.Default.CommandJournalEntry);
            // Without this a power cut soon after the rename can leave an empty file behind the new name.
            if (durable) stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(Guid commandId) => Path.Combine(_directory, $"{commandId:D}.json");

    private string OutputPathOf(Guid commandId) => Path.Combine(_directory, $"{commandId:D}.out");
}
