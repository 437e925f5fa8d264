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
