using Fleet.Domain.Inventory;

namespace Fleet.Agent.Simulation;

internal enum PackageFamily
{
    Deb,
    Rpm,
    Apk,
}

internal sealed record SimPlatform(
    string OsVersion,
    string KernelX86,
    string KernelArm,
    PackageFamily Family,
    int Weight,
    string RootShell,
    string AdminGroup,
    int AdminGid,
    string RootFilesystem);

/// <summary>
/// Static tables shared by every simulated agent. Twenty thousand agents in one load-test process
/// pick from these instead of building their own strings; packages are shared record instances.
/// </summary>
internal static class SimulationCatalog
{
    public static readonly SimPlatform[] Platforms =
    [
        new("Ubuntu 22.04.4 LTS", "5.15.0-119-generic", "5.15.0-119-generic", PackageFamily.Deb, 30, "/bin/bash", "sudo", 27, "ext4"),
        new("Ubuntu 24.04.1 LTS", "6.8.0-45-generic", "6.8.0-45-generic", PackageFamily.Deb, 25, "/bin/bash", "sudo", 27, "ext4"),
        new("Debian GNU/Linux 12 (bookworm)", "6.1.0-25-amd64", "6.1.0-25-arm64", PackageFamily.Deb, 20, "/bin/bash", "sudo", 27, "ext4"),
        new("Debian GNU/Linux 11 (bullseye)", "5.10.0-32-amd64", "5.10.0-32-arm64", PackageFamily.Deb, 5, "/bin/bash", "sudo", 27, "ext4"),
        new("Rocky Linux 9.4 (Blue Onyx)", "5.14.0-427.37.1.el9_4.x86_64", "5.14.0-427.37.1.el9_4.aarch64", PackageFamily.Rpm, 10, "/bin/bash", "wheel", 10, "xfs"),
        new("AlmaLinux 8.10 (Cerulean Leopard)", "4.18.0-553.el8_10.x86_64", "4.18.0-553.el8_10.aarch64", PackageFamily.Rpm, 4, "/bin/bash", "wheel", 10, "xfs"),
        new("Alpine Linux v3.20", "6.6.52-0-lts", "6.6.52-0-lts", PackageFamily.Apk, 6, "/bin/ash", "wheel", 10, "ext4"),
    ];

    public static readonly int TotalPlatformWeight = Platforms.Sum(p => p.Weight);

    public static readonly string[] X86CpuModels =
    [
        "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz",
        "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
        "Intel(R) Xeon(R) E-2288G CPU @ 3.70GHz",
        "AMD EPYC 7763 64-Core Processor",
        "AMD EPYC 9654 96-Core Processor",
        "AMD EPYC 7R13 Processor",
    ];

    public static readonly string[] ArmCpuModels = ["Neoverse-N1", "Neoverse-V1", "Ampere Altra"];

    public static readonly int[] CpuCounts = [1, 2, 2, 4, 4, 4, 8, 8, 16, 32, 64];
    public static readonly int[] MemoryGib = [1, 2, 4, 4, 8, 8, 16, 16, 32, 64, 128];
    public static readonly int[] RootDiskGib = [20, 32, 40, 80, 100, 200, 500];
    public static readonly int[] DataDiskGib = [100, 250, 500, 1000, 2000, 4000];
    public static readonly string[] RootDevices = ["/dev/vda1", "/dev/sda1", "/dev/nvme0n1p1"];
    public static readonly string[] DataDevices = ["/dev/vdb", "/dev/sdb", "/dev/nvme1n1"];
    public static readonly string[] DataMounts = ["/data", "/var/lib/docker", "/srv", "/var/lib/postgresql"];
    public static readonly string[] PrimaryNics = ["eth0", "ens3", "ens5", "enp0s3", "enp1s0"];
    public static readonly string[] SecondaryNics = ["eth1", "ens4", "ens6", "enp0s8", "enp2s0"];
    public static readonly int?[] NicSpeeds = [null, null, 1000, 10000, 25000];

    public static readonly (string Name, string Home)[] HumanUsers = BuildHumans(
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
        "mallory", "niaj", "oscar", "peggy", "rupert", "sybil", "trent", "victor", "walter", "deploy");

    public static readonly (string Name, string Home)[] ServiceUsers =
    [
        ("www-data", "/var/www"), ("postgres", "/var/lib/postgresql"), ("nginx", "/var/lib/nginx"),
        ("redis", "/var/lib/redis"), ("prometheus", "/var/lib/prometheus"),
    ];

    /// <summary>Base names; each also yields a "-doc" and a "lib…" package, giving each family well over 300.</summary>
    private static readonly string[] PackageNames =
    [
        "acl", "adduser", "apparmor", "apt", "attr", "base-files", "base-passwd", "bash", "bind9-host", "bsdutils",
        "bzip2", "ca-certificates", "chrony", "cloud-init", "coreutils", "cpio", "cron", "curl", "dash", "dbus",
        "debconf", "diffutils", "dmidecode", "dnsutils", "docker-ce", "e2fsprogs", "ethtool", "file", "findutils", "fuse3",
        "gawk", "gcc", "gdisk", "gettext", "git", "gnupg", "grep", "groff", "grub2", "gzip",
        "haveged", "hostname", "htop", "iproute2", "iptables", "iputils-ping", "jq", "kbd", "keyutils", "kmod",
        "less", "locales", "logrotate", "lsb-release", "lsof", "lvm2", "make", "man-db", "mawk", "mdadm",
        "mount", "nano", "ncurses", "net-tools", "netbase", "nftables", "nginx", "openssh-client", "openssh-server", "openssl",
        "parted", "passwd", "patch", "pciutils", "perl", "postgresql", "procps", "psmisc", "python3", "python3-pip",
        "readline", "redis-server", "rsync", "rsyslog", "sed", "sensible-utils", "shared-mime-info", "smartmontools", "sqlite3", "strace",
        "sudo", "systemd", "systemd-timesyncd", "tar", "tcpdump", "telnet", "time", "tmux", "tzdata", "ucf",
        "udev", "unattended-upgrades", "unzip", "usbutils", "util-linux", "vim", "wget", "whiptail", "xauth", "xfsprogs",
        "xz-utils", "zlib", "zstd", "auditd", "bc", "fail2ban", "git-man", "golang", "haproxy", "ncdu",
    ];

    private static readonly DateTimeOffset PackageEpoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Pools[family][arm ? 1 : 0] holds, per package name, the current version then an older one.</summary>
    private static readonly Lazy<SoftwarePackage[][][]> Pools = new(BuildPools);

    public static SoftwarePackage[] PackagePool(PackageFamily family, bool arm) => Pools.Value[(int)family][arm ? 1 : 0];

    public static string ArchName(PackageFamily family, bool arm) => (family, arm) switch
    {
        (PackageFamily.Deb, false) => "amd64",
        (PackageFamily.Deb, true) => "arm64",
        (_, false) => "x86_64",
        (_, true) => "aarch64",
    };

    private static (string, string)[] BuildHumans(params string[] names) =>
        names.Select(n => (n, "/home/" + n)).ToArray();

    private static SoftwarePackage[][][] BuildPools()
    {
        var names = PackageNames
            .SelectMany(n => new[] { n, n + "-doc", "lib" + n.Replace("-", "", StringComparison.Ordinal) + "1" })
            .ToArray();
        var descriptions = names.Select(n => $"{n} (simulated package)").ToArray();

        var families = Enum.GetValues<PackageFamily>();
        var pools = new SoftwarePackage[families.Length][][];
        foreach (var family in families)
        {
            var x86 = new SoftwarePackage[names.Length * 2];
            var arm = new SoftwarePackage[names.Length * 2];
            var neutral = family == PackageFamily.Deb ? "all" : "noarch";
            for (var i = 0; i < names.Length; i++)
            {
                var h = SeededRandom.Hash(names[i]);
                var installed = PackageEpoch.AddDays(h % 500).AddSeconds(h % 86_400);
                var isNeutral = names[i].EndsWith("-doc", StringComparison.Ordinal);
                for (var variant = 0; variant < 2; variant++)
                {
                    var version = Version(family, h, variant);
                    var date = installed.AddDays(-30 * variant);
                    SoftwarePackage Make(string arch) => new(names[i], version, arch, "installed", descriptions[i], date);
                    // Architecture-independent packages are the same record on x86 and ARM hosts.
                    x86[i * 2 + variant] = Make(isNeutral ? neutral : ArchName(family, arm: false));
                    arm[i * 2 + variant] = isNeutral ? x86[i * 2 + variant] : Make(ArchName(family, arm: true));
                }
            }
            pools[(int)family] = [x86, arm];
        }
        return pools;
    }

    // Variant 1 is the same package one patch level behind: realistic drift for "who is outdated" views.
    private static string Version(PackageFamily family, ulong hash, int variant)
    {
        var major = (int)(hash % 12);
        var minor = (int)(hash >> 8 & 31);
        var patch = (int)(hash >> 16 & 15) + 1 - variant;
        var rev = (int)(hash >> 24 & 7) + 1;
        return family switch
        {
            PackageFamily.Deb => $"{major}.{minor}.{patch}-{rev}",
            PackageFamily.Rpm => $"{major}.{minor}.{patch}-{rev}.el9",
            _ => $"{major}.{minor}.{patch}-r{rev}",
        };
    }
}
