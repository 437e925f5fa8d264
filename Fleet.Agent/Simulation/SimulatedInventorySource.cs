using Fleet.Agent.Inventory;
using Fleet.Domain.Inventory;

namespace Fleet.Agent.Simulation;

/// <summary>
/// The inventory of one virtual agent in a load test. Same (index, seed) gives the same inventory
/// in any process; different indexes vary platform, hardware, disks, interfaces, users and packages.
/// An instance holds only its identity: reports are built on each call from shared static tables,
/// so tens of thousands of instances stay cheap.
/// </summary>
public sealed class SimulatedInventorySource : IInventorySource
{
    private const long Gib = 1024L * 1024 * 1024;
    private const long Mib = 1024L * 1024;
    private static readonly DateTimeOffset LoginEpoch = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ulong _key;

    public SimulatedInventorySource(int index, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Index = index;
        Seed = seed;
        _key = SeededRandom.Mix((ulong)(uint)seed, (ulong)index + 1);
        Hostname = $"sim-{seed}-{index:00000}";
        var r = Stream(0x1D);
        MachineId = $"{r.NextUInt64():x16}{r.NextUInt64():x16}";
    }

    public int Index { get; }
    public int Seed { get; }
    public string Hostname { get; }

    /// <summary>32 hex digits, like /etc/machine-id.</summary>
    public string MachineId { get; }

    public Task<InventoryReport> CollectAsync(InventorySections sections, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var (platform, arm) = Platform();
        return Task.FromResult(new InventoryReport(
            Facts(platform, arm),
            sections.HasFlag(InventorySections.Storage) ? Storage(platform) : null,
            sections.HasFlag(InventorySections.Network) ? Network() : null,
            sections.HasFlag(InventorySections.Users) ? Users(platform) : null,
            sections.HasFlag(InventorySections.Groups) ? Groups(platform) : null,
            sections.HasFlag(InventorySections.Software) ? Software(platform, arm) : null));
    }

    // One independent stream per aspect, so asking for fewer sections never shifts the others' values.
    private SeededRandom Stream(ulong aspect) => new(SeededRandom.Mix(_key, aspect));

    private (SimPlatform Platform, bool Arm) Platform()
    {
        var r = Stream(0x01);
        var roll = r.Next(SimulationCatalog.TotalPlatformWeight);
        var platform = SimulationCatalog.Platforms[^1];
        foreach (var p in SimulationCatalog.Platforms)
        {
            if (roll < p.Weight)
            {
                platform = p;
                break;
            }
            roll -= p.Weight;
        }
        return (platform, r.Chance(0.2));
    }

    private HostFacts Facts(SimPlatform platform, bool arm)
    {
        var r = Stream(0x02);
        var cpuModel = r.Pick(arm ? SimulationCatalog.ArmCpuModels : SimulationCatalog.X86CpuModels);
        var memory = r.Pick(SimulationCatalog.MemoryGib) * Gib - r.Between(40, 400) * Mib; // the kernel keeps some for itself
        return new HostFacts(
            Hostname,
            "linux",
            platform.OsVersion,
            arm ? platform.KernelArm : platform.KernelX86,
            LinuxInventorySource.DefaultAgentVersion,
            r.Pick(SimulationCatalog.CpuCounts),
            cpuModel,
            memory,
            r.Between(600, 200 * 86_400),
            PrimaryAddress());
    }

    private IReadOnlyList<StorageDevice> Storage(SimPlatform platform)
    {
        var r = Stream(0x03);
        var count = r.Between(1, 3);
        var disks = new StorageDevice[count];
        disks[0] = Disk(ref r, r.Pick(SimulationCatalog.RootDevices), "/", platform.RootFilesystem, r.Pick(SimulationCatalog.RootDiskGib));
        if (count > 1)
            disks[1] = Disk(ref r, r.Pick(SimulationCatalog.DataDevices), r.Pick(SimulationCatalog.DataMounts), platform.RootFilesystem, r.Pick(SimulationCatalog.DataDiskGib));
        if (count > 2)
            disks[2] = Disk(ref r, "/dev/vdc1", "/boot", "ext4", 1);
        return disks;
    }

    private static StorageDevice Disk(ref SeededRandom r, string device, string mount, string fs, int gib)
    {
        var total = gib * Gib;
        var used = total / 100 * r.Between(5, 95);
        return new StorageDevice(device, mount, fs, total, used, total - used);
    }

    private IReadOnlyList<NetworkInterfaceInfo> Network()
    {
        var r = Stream(0x04);
        var count = r.Between(1, 3);
        var nics = new NetworkInterfaceInfo[count];
        var (a, b, c) = AddressParts();
        nics[0] = new NetworkInterfaceInfo(
            r.Pick(SimulationCatalog.PrimaryNics), PrimaryAddress(), "255.255.0.0", $"10.{a}.0.1", Mac(ref r), true, r.Pick(SimulationCatalog.NicSpeeds));
        if (count > 1)
            nics[1] = new NetworkInterfaceInfo(
                r.Pick(SimulationCatalog.SecondaryNics), $"10.{200 + a % 50}.{b}.{c}", "255.255.255.0", null, Mac(ref r), r.Chance(0.9), r.Pick(SimulationCatalog.NicSpeeds));
        if (count > 2)
            nics[2] = new NetworkInterfaceInfo("docker0", "10.250.0.1", "255.255.0.0", null, Mac(ref r), r.Chance(0.5), null);
        return nics;
    }

    // Hosts of one seed get distinct 10.a.b.c addresses for the first ~8 million indexes.
    private (int A, int B, int C) AddressParts()
    {
        var host = Index + 1;
        var c = host % 254 + 1;
        var rest = host / 254;
        return ((rest / 256 + Seed) & 0x7F, rest % 256, c);
    }

    private string PrimaryAddress()
    {
        var (a, b, c) = AddressParts();
        return $"10.{a}.{b}.{c}";
    }

    private static string Mac(ref SeededRandom r)
    {
        var v = r.NextUInt64();
        return $"52:54:00:{(byte)v:x2}:{(byte)(v >> 8):x2}:{(byte)(v >> 16):x2}";
    }

    private IReadOnlyList<UserAccount> Users(SimPlatform platform)
    {
        var r = Stream(0x05);
        var nologin = platform.Family == PackageFamily.Deb ? "/usr/sbin/nologin" : "/sbin/nologin";
        var users = new List<UserAccount>(12)
        {
            new("root", 0, 0, "/root", platform.RootShell, r.Chance(0.3) ? LoginEpoch.AddMinutes(-r.Between(1, 90 * 1440)) : null),
            new("daemon", 1, 1, "/usr/sbin", nologin, null),
            new("nobody", 65534, 65534, "/nonexistent", nologin, null),
        };
        var serviceCount = r.Between(0, 2);
        var serviceStart = r.Next(SimulationCatalog.ServiceUsers.Length);
        for (var i = 0; i < serviceCount; i++)
        {
            var (name, home) = SimulationCatalog.ServiceUsers[(serviceStart + i) % SimulationCatalog.ServiceUsers.Length];
            users.Add(new UserAccount(name, 100 + (serviceStart + i) % SimulationCatalog.ServiceUsers.Length, 100, home, nologin, null));
        }
        foreach (var (name, home, uid) in Humans())
        {
            users.Add(new UserAccount(name, uid, uid, home, platform.RootShell,
                r.Chance(0.8) ? LoginEpoch.AddMinutes(-r.Between(1, 30 * 1440)) : null));
        }
        return users;
    }

    private IReadOnlyList<UserGroup> Groups(SimPlatform platform)
    {
        var humans = Humans();
        var admins = humans.Take(Math.Max(1, humans.Count / 2)).Select(h => h.Name).ToArray();
        var groups = new List<UserGroup>(4 + humans.Count)
        {
            new("root", 0, []),
            new(platform.AdminGroup, platform.AdminGid, admins),
            new("users", 100, humans.Select(h => h.Name).ToArray()),
        };
        if (Stream(0x06).Chance(0.4)) groups.Add(new UserGroup("docker", 999, admins));
        groups.AddRange(humans.Select(h => new UserGroup(h.Name, h.Uid, [])));
        return groups;
    }

    // Users and Groups both need the same people, so they come from their own stream.
    private List<(string Name, string Home, int Uid)> Humans()
    {
        var r = Stream(0x07);
        var count = r.Between(1, 4);
        var start = r.Next(SimulationCatalog.HumanUsers.Length);
        var humans = new List<(string, string, int)>(count);
        for (var i = 0; i < count; i++)
        {
            var (name, home) = SimulationCatalog.HumanUsers[(start + i) % SimulationCatalog.HumanUsers.Length];
            humans.Add((name, home, 1000 + i));
        }
        return humans;
    }

    /// <summary>Selection sampling (Knuth's algorithm S): exactly k of the pool's names, in pool order, one pass, no shuffle buffer.</summary>
    private IReadOnlyList<SoftwarePackage> Software(SimPlatform platform, bool arm)
    {
        var r = Stream(0x08);
        var pool = SimulationCatalog.PackagePool(platform.Family, arm);
        var names = pool.Length / 2;
        var wanted = r.Between(20, Math.Min(300, names));
        var packages = new SoftwarePackage[wanted];
        var chosen = 0;
        for (var i = 0; i < names && chosen < wanted; i++)
        {
            if (r.Next(names - i) >= wanted - chosen) continue;
            var outdated = r.Chance(0.15) ? 1 : 0;
            packages[chosen++] = pool[i * 2 + outdated];
        }
        return packages;
    }
}
