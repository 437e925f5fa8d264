namespace Fleet.Domain.Search;

/// <summary>
/// A host search query that cannot be understood. <see cref="Position"/> is the 0-based character
/// index the message refers to, so a search box can put the caret on the mistake.
/// </summary>
public sealed class HostSearchException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}
