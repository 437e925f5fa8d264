using System.Collections.Concurrent;
using System.Text;
using Fleet.Agent.Execution;
using Fleet.Domain.Agents;

namespace Fleet.Tests.Agent.Execution;

/// <summary>Keeps everything the executor reports, in the order it was reported.</summary>
public sealed class RecordingReporter : ICommandReporter
{
    private readonly Lock _gate = new();
    private readonly List<string> _events = [];
    private readonly List<CommandOutputBatch> _batches = [];
    private readonly List<CommandResultMessage> _finished = [];
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _output = new();

    public Task StartedAsync(Guid commandId)
    {
        lock (_gate) _events.Add($"started {commandId}");
        Signal(_started, commandId).TrySetResult();
        return Task.CompletedTask;
    }

    public Task OutputAsync(CommandOutputBatch batch)
    {
        lock (_gate)
        {
            _events.Add($"output {batch.CommandId}");
            _batches.Add(batch);
        }
        Signal(_output, batch.CommandId).TrySetResult();
        return Task.CompletedTask;
    }

    public Task FinishedAsync(CommandResultMessage result)
    {
        lock (_gate)
        {
            _events.Add($"finished {result.CommandId}");
            _finished.Add(result);
            // Output that travels with the result reaches the server like a batch: it counts in Batches, Chunks and Text.
            if (result.Output is { Count: > 0 } tail) _batches.Add(new CommandOutputBatch(result.CommandId, tail));
        }
        return Task.CompletedTask;
    }

    public Task WhenStarted(Guid commandId) => Signal(_started, commandId).Task.WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Completes when the first output batch of the command was sent on its own (not with the result).</summary>
    public Task WhenOutput(Guid commandId) => Signal(_output, commandId).Task.WaitAsync(TimeSpan.FromSeconds(10));

    public IReadOnlyList<string> Events(Guid commandId)
    {
        lock (_gate) return _events.Where(e => e.EndsWith(commandId.ToString(), StringComparison.Ordinal)).Select(e => e.Split(' ')[0]).ToList();
    }

    public IReadOnlyList<CommandOutputBatch> Batches(Guid commandId)
    {
        lock (_gate) return _batches.Where(b => b.CommandId == commandId).ToList();
    }

    public IReadOnlyList<CommandResultMessage> Finished(Guid commandId)
    {
        lock (_gate) return _finished.Where(r => r.CommandId == commandId).ToList();
    }

    public IReadOnlyList<OutputChunkMessage> Chunks(Guid commandId) => Batches(commandId).SelectMany(b => b.Chunks).ToList();

    public string Text(Guid commandId, OutputStream stream)
    {
        var text = new StringBuilder();
        foreach (var chunk in Chunks(commandId).Where(c => c.Stream == stream).OrderBy(c => c.Sequence)) text.Append(chunk.Text);
        return text.ToString();
    }

    private static TaskCompletionSource Signal(ConcurrentDictionary<Guid, TaskCompletionSource> signals, Guid commandId) =>
        signals.GetOrAdd(commandId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
