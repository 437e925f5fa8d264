using Fleet.Domain;

namespace Fleet.Web.Engine;

/// <summary>Configuration section <c>Fleet:Limits</c>.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest request body outside the SignalR hubs (which have their own message limits).</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest script or job template, in UTF-8 bytes.</summary>
    public int MaxScriptBytes { get; set; } = FieldLimits.DefaultMaxScriptBytes;
}
