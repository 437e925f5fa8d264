namespace Fleet.Domain;

/// <summary>
/// An operation that the domain rules forbid (an illegal state transition, an invalid value).
/// <paramref name="field"/> names the domain property at fault (e.g. <c>nameof(InvocationSpec.StartBefore)</c>)
/// so each façade can point at its own wire field; null when the problem is not one field's.
/// </summary>
public sealed class DomainException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}
