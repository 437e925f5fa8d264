using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Execution;

/// <param name="Result">Null while the command has started but not finished.</param>
public sealed record CommandJournalEntry(Guid CommandId, DateTimeOffset StartedAt, CommandResultMessage? Result)
{
    public DateTimeOffset LastChangedAt => Result?.FinishedAt ?? StartedAt;
}

/// <summary>
/// One file per command, so that a command runs at most once even when the server sends it again or the agent restarts:
/// <c>{id}.json</c> is written before the process starts and rewritten with the result when it ends.
/// </summary>
public sealed class CommandJournal
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly string _directory;

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
            return JsonSerializer.Deserialize<CommandJournalEntry>(File.ReadAllText(path), Json);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // Writes are atomic, so this is damage from outside; "started, outcome unknown" is the honest reading.
            return new CommandJournalEntry(commandId, File.GetLastWriteTimeUtc(path), null);
        }
    }

    public void RecordStarted(Guid commandId, DateTimeOffset startedAt) => Write(new CommandJournalEntry(commandId, startedAt, null));

    public void RecordFinished(CommandResultMessage result) => Write(new CommandJournalEntry(result.CommandId, result.StartedAt, result));

    /// <summary>Deletes entries last changed before <paramref name="cutoff"/>, and temporary files a crash left behind.</summary>
    public int Prune(DateTimeOffset cutoff)
    {
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            DateTimeOffset changed;
            if (path.EndsWith(".json", StringComparison.Ordinal) && Guid.TryParse(Path.GetFileNameWithoutExtension(path), out var id))
                changed = Read(id)?.LastChangedAt ?? DateTimeOffset.MaxValue;
            else if (path.EndsWith(".tmp", StringComparison.Ordinal))
                changed = File.GetLastWriteTimeUtc(path);
            else
                continue;
            if (changed >= cutoff) continue;
            File.Delete(path);
            removed++;
        }
        return removed;
    }

    private void Write(CommandJournalEntry entry)
    {
        var path = PathOf(entry.CommandId);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, entry, Json);
            // Without this a power cut soon after the rename can leave an empty file behind the new name.
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(Guid commandId) => Path.Combine(_directory, $"{commandId:D}.json");
}
