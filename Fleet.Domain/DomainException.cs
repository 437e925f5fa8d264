namespace Fleet.Domain;

/// <summary>An operation that the domain rules forbid (an illegal state transition, an invalid value).</summary>
public sealed class DomainException(string message) : Exception(message);
