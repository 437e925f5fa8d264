using System.Globalization;
using System.Net;

namespace Fleet.Agent.Inventory;

public sealed record RouteEntry(string Interface, IPAddress Destination, IPAddress Gateway, IPAddress Mask, int Metric, bool IsGateway)
{
    public bool IsDefault => Destination.Equals(IPAddress.Any) && Mask.Equals(IPAddress.Any);
}

/// <summary>/proc/net/route: IPv4 routes with addresses as hex of the in-memory (little-endian) word.</summary>
public static class RouteTableParser
{
    private const int RtfUp = 0x1;
    private const int RtfGateway = 0x2;

    public static IReadOnlyList<RouteEntry> Parse(TextReader reader)
    {
        var routes = new List<RouteEntry>();
        _ = reader.ReadLine(); // column headings
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8) continue;
            if (!TryHex(f[1], out var dest) || !TryHex(f[2], out var gateway) || !TryHex(f[7], out var mask)) continue;
            if (!int.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) || (flags & RtfUp) == 0) continue;
            _ = int.TryParse(f[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var metric);
            routes.Add(new RouteEntry(f[0], dest, gateway, mask, metric, (flags & RtfGateway) != 0));
        }
        return routes;
    }

    /// <summary>The interface carrying the default route with the lowest metric, i.e. the one the kernel would use.</summary>
    public static RouteEntry? DefaultRoute(IEnumerable<RouteEntry> routes) =>
        routes.Where(r => r.IsDefault).OrderBy(r => r.Metric).FirstOrDefault();

    /// <summary>Parses "010200C0" as 192.0.2.1: the kernel prints the network-order word as a host (little-endian) integer.</summary>
    public static bool TryHex(string hex, out IPAddress address)
    {
        address = IPAddress.Any;
        if (hex.Length != 8 || !uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)) return false;
        Span<byte> bytes = [(byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24)];
        address = new IPAddress(bytes);
        return true;
    }
}
