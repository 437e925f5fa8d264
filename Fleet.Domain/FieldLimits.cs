using System.Text;

namespace Fleet.Domain;

/// <summary>
/// How large a stored field may be. Checked where input arrives (each façade names the field in its own
/// error shape), so a giant value is refused once instead of being stored, rendered and served forever.
/// </summary>
public static class FieldLimits
{
    public const int MaxNameLength = 255;
    public const int MaxInputValueBytes = 64 * 1024;
    public const int DefaultMaxScriptBytes = 256 * 1024;

    /// <returns>Null when the name fits, else the problem in Foreman's "is too long" wording.</returns>
    public static string? Name(string? value) =>
        value is { Length: > MaxNameLength } ? $"is too long (maximum is {MaxNameLength} characters)" : null;

    public static string? Script(string? value, int maxBytes) =>
        value is not null && Encoding.UTF8.GetByteCount(value) > maxBytes ? $"is too large (maximum is {maxBytes} bytes)" : null;

    public static string? InputValue(string? value) =>
        value is not null && Encoding.UTF8.GetByteCount(value) > MaxInputValueBytes ? $"is too large (maximum is {MaxInputValueBytes} bytes)" : null;
}
