using System.Net;
using System.Net.Sockets;

namespace Fleet.Domain.Operations;

public enum NotificationChannel
{
    Webhook = 0,
    Email = 1,
}

/// <summary>One attempt to tell someone an operation's occurrence ended: where, when, and what the other side answered.</summary>
public sealed class NotificationDelivery
{
    public const int MaxReplyLength = 500;

    private NotificationDelivery() { }

    /// <param name="statusCode">The webhook's HTTP status, or the SMTP reply code; null when nothing answered.</param>
    /// <param name="reply">The SMTP server's reply, or why nothing was delivered.</param>
    public NotificationDelivery(long operationId, int occurrence, NotificationChannel channel, string target, int attempt, bool succeeded,
        int? statusCode, string? reply, DateTimeOffset at)
    {
        OperationId = operationId;
        Occurrence = occurrence;
        Channel = channel;
        Target = target;
        Attempt = attempt;
        Succeeded = succeeded;
        StatusCode = statusCode;
        Reply = reply is { Length: > MaxReplyLength } ? reply[..MaxReplyLength] : reply;
        At = at;
    }

    public long Id { get; private set; }
    public long OperationId { get; private set; }
    public int Occurrence { get; private set; }
    public NotificationChannel Channel { get; private set; }
    public string Target { get; private set; } = "";
    public int Attempt { get; private set; }
    public bool Succeeded { get; private set; }
    public int? StatusCode { get; private set; }
    public string? Reply { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>
/// Which addresses a webhook may reach. Fleet runs inside the network it manages: a webhook URL naming an internal
/// address would let anyone who may create operations make the server call its neighbours, so those are refused
/// unless an admin allows them.
/// </summary>
public static class AddressPolicy
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] >= 224 ||
                     (b[0] == 172 && b[1] is >= 16 and <= 31) ||
                     (b[0] == 192 && b[1] == 168) ||
                     (b[0] == 169 && b[1] == 254) ||
                     (b[0] == 100 && b[1] is >= 64 and <= 127));
        }
        var bytes = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC);
    }
}
