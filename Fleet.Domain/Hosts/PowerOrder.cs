namespace Fleet.Domain.Hosts;

public enum PowerKind
{
    Reboot,
    Shutdown,
}

/// <summary>Which part of a <see cref="PowerOrder"/> is out of range, so each caller can name it in its own words.</summary>
public enum PowerOrderField
{
    Delay,
    Message,
}

/// <summary>A reboot or shutdown an operator asks for: the limits every entry point (API, dashboard) shares.</summary>
public sealed record PowerOrder(PowerKind Kind, bool Force = false, int DelaySeconds = 0, string? Message = null)
{
    public const int MaxDelaySeconds = 86_400;
    public const int MaxMessageLength = 500;

    /// <summary>The first field out of range, with why; null when the order is acceptable.</summary>
    public (PowerOrderField Field, string Reason)? Problem =>
        DelaySeconds is < 0 or > MaxDelaySeconds ? (PowerOrderField.Delay, $"The delay must be between 0 and {MaxDelaySeconds} seconds.")
        : Message is { Length: > MaxMessageLength } ? (PowerOrderField.Message, $"The message may be at most {MaxMessageLength} characters.")
        : null;
}
