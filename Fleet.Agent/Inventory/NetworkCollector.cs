using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Fleet.Domain.Inventory;

namespace Fleet.Agent.Inventory;

public sealed record Ipv4Binding(string Address, string? Netmask);

/// <summary>
/// Interfaces from /sys/class/net, addresses from the kernel (via NetworkInterface), gateways from
/// /proc/net/route. Addresses are injectable because only the live machine can answer for them.
/// </summary>
public sealed class NetworkCollector
{
    private const int IffUp = 0x1;

    private readonly HostRoot _root;
    private readonly Func<IReadOnlyDictionary<string, Ipv4Binding>> _addresses;

    public NetworkCollector(HostRoot root, Func<IReadOnlyDictionary<string, Ipv4Binding>>? addresses = null)
    {
        _root = root;
        _addresses = addresses ?? (root.IsLive ? LiveAddresses : () => new Dictionary<string, Ipv4Binding>());
    }

    public IReadOnlyList<NetworkInterfaceInfo> Collect()
    {
        var addresses = _addresses();
        var routes = ReadRoutes();
        var result = new List<NetworkInterfaceInfo>();
        var sysNet = _root.Resolve("/sys/class/net");
        foreach (var name in Directory.EnumerateFileSystemEntries(sysNet).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
        {
            var dir = "/sys/class/net/" + name;
            if (!Directory.Exists(_root.Resolve(dir))) continue; // bonding_masters is a file beside the interfaces
            addresses.TryGetValue(name, out var binding);
            var gateway = routes.Where(r => r.Interface == name && r.IsGateway && r.IsDefault).OrderBy(r => r.Metric).FirstOrDefault()
                          ?? routes.FirstOrDefault(r => r.Interface == name && r.IsGateway);
            result.Add(new NetworkInterfaceInfo(
                name,
                binding?.Address,
                binding?.Netmask,
                gateway?.Gateway.ToString(),
                ReadMac(dir),
                IsUp(dir),
                ReadSpeed(dir)));
        }
        return result;
    }

    /// <summary>The address other hosts most likely reach us on: that of the default route's interface, else the first non-loopback IPv4.</summary>
    public string PrimaryIpAddress()
    {
        var addresses = _addresses();
        var defaultRoute = RouteTableParser.DefaultRoute(ReadRoutes());
        if (defaultRoute is not null && addresses.TryGetValue(defaultRoute.Interface, out var viaDefault)) return viaDefault.Address;
        return addresses
            .Where(a => IPAddress.TryParse(a.Value.Address, out var ip) && !IPAddress.IsLoopback(ip))
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => a.Value.Address)
            .FirstOrDefault() ?? "";
    }

    private IReadOnlyList<RouteEntry> ReadRoutes()
    {
        try
        {
            using var reader = new StreamReader(_root.Resolve("/proc/net/route"));
            return RouteTableParser.Parse(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return []; // no IPv4 routing table (e.g. IPv6-only namespace): interfaces still list, without gateways
        }
    }

    // Tunnels and loopback report "unknown" rather than "up"; the interface's IFF_UP flag settles it.
    private bool IsUp(string dir)
    {
        var state = _root.ReadFirstLine(dir + "/operstate");
        if (state == "up") return true;
        if (state is not (null or "unknown")) return false;
        var flags = _root.ReadFirstLine(dir + "/flags");
        if (flags is null) return false;
        var hex = flags.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? flags[2..] : flags;
        return int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var f) && (f & IffUp) != 0;
    }

    private string? ReadMac(string dir)
    {
        var mac = _root.ReadFirstLine(dir + "/address");
        return string.IsNullOrEmpty(mac) || mac == "00:00:00:00:00:00" ? null : mac;
    }

    // Virtual and down interfaces answer EINVAL or -1: no speed rather than a made-up one.
    private int? ReadSpeed(string dir) =>
        int.TryParse(_root.ReadFirstLine(dir + "/speed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mbps) && mbps > 0
            ? mbps
            : null;

    private static IReadOnlyDictionary<string, Ipv4Binding> LiveAddresses()
    {
        var result = new Dictionary<string, Ipv4Binding>(StringComparer.Ordinal);
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            var unicast = nic.GetIPProperties().UnicastAddresses
                .FirstOrDefault(u => u.Address.AddressFamily == AddressFamily.InterNetwork);
            if (unicast is null) continue;
            string? mask = null;
            try
            {
                mask = unicast.IPv4Mask.ToString();
            }
            catch (PlatformNotSupportedException)
            {
            }
            result[nic.Name] = new Ipv4Binding(unicast.Address.ToString(), mask);
        }
        return result;
    }
}
