namespace Fleet.Domain.Execution;

/// <summary>A piece of a command's output as the agent sent it; <see cref="Sequence"/> orders them per command.</summary>
public sealed class OutputChunk
{
    private OutputChunk() { }

    public OutputChunk(Guid commandId, int sequence, Agents.OutputStream stream, string text, DateTimeOffset at)
    {
        CommandId = commandId;
        Sequence = sequence;
        Stream = stream;
        Text = text;
        At = at;
    }

    public long Id { get; private set; }
    public Guid CommandId { get; private set; }
    public int Sequence { get; private set; }
    public Agents.OutputStream Stream { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}

/// <summary>A wave of an invocation (seed 004's stage run). Issue-3 invocations have one.</summary>
public sealed class StageRun
{
    private StageRun() { }

    public StageRun(Guid id, long invocationId, int index, DateTimeOffset now)
    {
        Id = id;
        InvocationId = invocationId;
        Index = index;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public long InvocationId { get; private set; }
    public int Index { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
