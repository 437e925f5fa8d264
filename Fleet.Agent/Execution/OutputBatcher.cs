using System.Text;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Execution;

/// <summary>
/// Gathers one command's stdout and stderr into batches: sent every <see cref="Interval"/> while the timer runs (a long
/// command), or at once when <see cref="FlushThreshold"/> characters are waiting; what is left when the command ends goes
/// with its result (<see cref="CloseAsync"/>). A reader that appends while a batch is being sent waits for it,
/// so a command that writes faster than the server takes its output is slowed down instead of filling memory.
/// </summary>
internal sealed class OutputBatcher(Guid commandId, ICommandReporter reporter, TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    public const int FlushThreshold = 64 * 1024;
    /// <summary>Never reached while readers append at most <see cref="FlushThreshold"/> at a time; a guard, not a tuning knob.</summary>
    public const int MaxBatchChars = 256 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Pending> _pending = [];
    private int _pendingChars;
    private int _sequence;
    private bool _closed;

    public async Task AppendAsync(OutputStream stream, ReadOnlyMemory<char> text)
    {
        if (text.IsEmpty) return;
        await _gate.WaitAsync();
        try
        {
            if (_closed) return;
            // Consecutive reads from the same stream become one chunk, so a chatty command costs few chunks.
            if (_pending.Count > 0 && _pending[^1].Stream == stream) _pending[^1].Text.Append(text.Span);
            else _pending.Add(new Pending(stream, new StringBuilder().Append(text.Span), clock.GetUtcNow()));
            _pendingChars += text.Length;
            if (_pendingChars >= FlushThreshold)
                foreach (var batch in TakePending()) await SendAsync(batch);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends what is waiting.</summary>
    public async Task FlushAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_closed) return;
            foreach (var batch in TakePending()) await SendAsync(batch);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Ends the batching once the command has exited and its output is read: later appends are ignored, and what was still
    /// waiting is returned instead of sent, to travel with the result in one message. Only output beyond one batch is sent here.
    /// </summary>
    public async Task<IReadOnlyList<OutputChunkMessage>> CloseAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_closed) return [];
            _closed = true;
            var batches = TakePending();
            for (var i = 0; i < batches.Count - 1; i++) await SendAsync(batches[i]);
            return batches.Count == 0 ? [] : batches[^1];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Flushes every <see cref="Interval"/> until cancelled.</summary>
    public async Task RunTimerAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, clock, ct);
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>What is waiting, as numbered chunks in batches of at most <see cref="MaxBatchChars"/>; the waiting list is emptied.</summary>
    private List<List<OutputChunkMessage>> TakePending()
    {
        var batches = new List<List<OutputChunkMessage>>();
        var batch = new List<OutputChunkMessage>();
        var batchChars = 0;
        foreach (var pending in _pending)
        {
            var text = pending.Text.ToString();
            for (var offset = 0; offset < text.Length;)
            {
                var take = Math.Min(MaxBatchChars - batchChars, text.Length - offset);
                // Never split a surrogate pair across chunks: each half alone is not valid text.
                if (offset + take < text.Length && take > 0 && char.IsHighSurrogate(text[offset + take - 1])) take--;
                if (take > 0)
                {
                    batch.Add(new OutputChunkMessage(++_sequence, pending.Stream, text.Substring(offset, take), pending.At));
                    offset += take;
                    batchChars += take;
                }
                if (take == 0 || batchChars >= MaxBatchChars)
                {
                    batches.Add(batch);
                    batch = [];
                    batchChars = 0;
                }
            }
        }
        if (batch.Count > 0) batches.Add(batch);
        _pending.Clear();
        _pendingChars = 0;
        return batches;
    }

    private async Task SendAsync(List<OutputChunkMessage> chunks)
    {
        try
        {
            await reporter.OutputAsync(new CommandOutputBatch(commandId, chunks));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The connection is down: this output has nowhere to go, but the command must keep running and its
            // result (journalled) still gets reported; stopping here would leave the process blocked on a full pipe.
        }
    }

    private sealed record Pending(OutputStream Stream, StringBuilder Text, DateTimeOffset At);
}
