using Fleet.Agent.Inventory;
using Fleet.Domain.Inventory;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A machine with known contents, so API tests can check exact values end to end. The agent, the
/// connection and the server around it are the real ones.
/// </summary>
public sealed class FixedInventorySource(string hostname) : IInventorySource
{
    public int Collections { get; private set; }
    public List<SoftwarePackage> Packages { get; } =
    [
        new("nginx", "1.18.0", "amd64", "installed", "High performance web server", new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero)),
        new("openssl", "3.0.11", "amd64", "installed", "Secure Sockets Layer toolkit", null),
    ];

    /// <summary>What the machine's disks hold: one root file system 45 % full unless a test says otherwise.</summary>
    public List<StorageDevice> Storage { get; } = [new StorageDevice("/dev/sda1", "/", "ext4", 100L << 30, 45L << 30, 55L << 30)];

    public Task<InventoryReport> CollectAsync(InventorySections sections, CancellationToken ct)
    {
        Collections++;
        var facts = new HostFacts(hostname, "linux", "Ubuntu 22.04 LTS", "5.15.0", "0.1.0", 4, "Test CPU", 8L * 1024 * 1024 * 1024,
            15 * 86400 + 3 * 3600 + 22 * 60, "192.168.1.100", "SN-" + hostname, "PowerEdge R740", "Dell Inc.");
        return Task.FromResult(new InventoryReport(
            facts,
            sections.HasFlag(InventorySections.Storage)
                ? Storage.ToList()
                : null,
            sections.HasFlag(InventorySections.Network)
                ? [new NetworkInterfaceInfo("eth0", "192.168.1.100", "255.255.255.0", "192.168.1.1", "00:11:22:33:44:55", true, 1000)]
                : null,
            sections.HasFlag(InventorySections.Users)
                ? [new UserAccount("admin", 1000, 1000, "/home/admin", "/bin/bash", new DateTimeOffset(2024, 1, 1, 8, 30, 0, TimeSpan.Zero))]
                : null,
            sections.HasFlag(InventorySections.Groups) ? [new UserGroup("sudo", 27, ["admin", "user1"])] : null,
            sections.HasFlag(InventorySections.Software) ? Packages.ToList() : null));
    }
}
