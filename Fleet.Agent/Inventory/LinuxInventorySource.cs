using System.Net;
using System.Reflection;
using Fleet.Domain.Inventory;

namespace Fleet.Agent.Inventory;

/// <summary>
/// Reads the inventory of the Linux machine the agent runs on from /proc, /sys, /etc and the package
/// database. A section that cannot be read comes back null with a line in CollectionError, so one
/// unreadable file never costs the server the rest of the report.
/// </summary>
public sealed class LinuxInventorySource : IInventorySource
{
    public const string DefaultAgentVersion = "0.1.0";
    private const int MaxErrorLength = 200;

    private readonly HostRoot _root;
    private readonly string _agentVersion;
    private readonly StorageCollector _storage;
    private readonly NetworkCollector _network;
    private readonly SoftwareCollector _software;

    /// <param name="rootDirectory">Where "/" is; tests point this at fixture files.</param>
    /// <param name="agentVersion">Overrides the version read from this assembly.</param>
    /// <param name="interfaceAddresses">Overrides the kernel's IPv4 address per interface name (tests); by default only the live root has any.</param>
    public LinuxInventorySource(
        string rootDirectory = "/",
        string? agentVersion = null,
        Func<IReadOnlyDictionary<string, Ipv4Binding>>? interfaceAddresses = null)
    {
        _root = new HostRoot(rootDirectory);
        _agentVersion = agentVersion ?? AssemblyAgentVersion();
        _storage = new StorageCollector(_root);
        _network = new NetworkCollector(_root, interfaceAddresses);
        _software = new SoftwareCollector(_root);
    }

    // Everything below is blocking file I/O (the dpkg database is megabytes); keep it off the caller's thread.
    public Task<InventoryReport> CollectAsync(InventorySections sections, CancellationToken ct) =>
        Task.Run(() => CollectCoreAsync(sections, ct), ct);

    private async Task<InventoryReport> CollectCoreAsync(InventorySections sections, CancellationToken ct)
    {
        var errors = new List<string>();
        var facts = ReadFacts(errors);
        ct.ThrowIfCancellationRequested();

        var storage = sections.HasFlag(InventorySections.Storage) ? Try("storage", _storage.Collect, errors) : null;
        var network = sections.HasFlag(InventorySections.Network) ? Try("network", _network.Collect, errors) : null;
        var users = sections.HasFlag(InventorySections.Users) ? Try("users", ReadUsers, errors) : null;
        var groups = sections.HasFlag(InventorySections.Groups) ? Try("groups", ReadGroups, errors) : null;
        ct.ThrowIfCancellationRequested();

        IReadOnlyList<SoftwarePackage>? software = null;
        if (sections.HasFlag(InventorySections.Software))
        {
            try
            {
                software = await _software.CollectAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                errors.Add(Describe("software", e));
            }
        }

        return new InventoryReport(facts, storage, network, users, groups, software,
            errors.Count == 0 ? null : string.Join("; ", errors));
    }

    private HostFacts ReadFacts(List<string> errors)
    {
        var hostname = _root.ReadFirstLine("/proc/sys/kernel/hostname")
                       ?? _root.ReadFirstLine("/etc/hostname")
                       ?? (_root.IsLive ? Dns.GetHostName() : "");
        var os = Try("facts", () => Parse("/etc/os-release", HostFactsParser.ParseOsRelease)
                                    ?? Parse("/usr/lib/os-release", HostFactsParser.ParseOsRelease), errors) ?? "Linux";
        var kernel = _root.ReadFirstLine("/proc/sys/kernel/osrelease") ?? "";
        var cpu = Try("facts", () => Parse("/proc/cpuinfo", HostFactsParser.ParseCpuInfo), errors);
        var cpuCount = cpu is { ProcessorCount: > 0 } ? cpu.ProcessorCount : _root.IsLive ? Environment.ProcessorCount : 0;
        var memory = Try("facts", () => Parse("/proc/meminfo", HostFactsParser.ParseMemTotalBytes), errors) ?? 0;
        var uptime = HostFactsParser.ParseUptimeSeconds(_root.ReadFirstLine("/proc/uptime")) ?? 0;
        var ip = Try("facts", _network.PrimaryIpAddress, errors) ?? "";
        return new HostFacts(hostname, "linux", os, kernel, _agentVersion, cpuCount, cpu?.Model ?? "", memory, uptime, ip,
            Dmi("product_serial"), Dmi("product_name"), Dmi("sys_vendor"));
    }

    /// <summary>
    /// A DMI field from sysfs; null where the machine has no DMI table (containers, most ARM boards), the file is
    /// root-only (product_serial) and the agent is not, or the firmware left its placeholder text.
    /// </summary>
    private string? Dmi(string field) =>
        _root.ReadFirstLine("/sys/class/dmi/id/" + field) is { Length: > 0 } value && !HostFactsParser.IsDmiPlaceholder(value) ? value : null;

    private IReadOnlyList<UserAccount> ReadUsers()
    {
        var entries = Parse("/etc/passwd", PasswdParser.Parse) ?? throw new FileNotFoundException("/etc/passwd is missing");
        using var lastlog = new LastlogReader(_root.Resolve("/var/log/lastlog"));
        return entries
            .Select(e => new UserAccount(e.Username, e.Uid, e.Gid, e.HomeDirectory, e.Shell, lastlog.LastLogin(e.Uid)))
            .ToList();
    }

    private IReadOnlyList<UserGroup> ReadGroups() =>
        Parse("/etc/group", GroupParser.Parse) ?? throw new FileNotFoundException("/etc/group is missing");

    /// <summary>Runs a parser over a file under the root; null when the file does not exist.</summary>
    private T? Parse<T>(string absolutePath, Func<TextReader, T> parser)
    {
        var path = _root.Resolve(absolutePath);
        if (!File.Exists(path)) return default;
        using var reader = new StreamReader(path);
        return parser(reader);
    }

    private static T? Try<T>(string section, Func<T> read, List<string> errors)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Add(Describe(section, e));
            return default;
        }
    }

    private static string Describe(string section, Exception e)
    {
        var message = $"{section}: {e.Message}";
        return message.Length <= MaxErrorLength ? message : message[..MaxErrorLength];
    }

    private static string AssemblyAgentVersion()
    {
        var version = typeof(LinuxInventorySource).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrWhiteSpace(version)) return DefaultAgentVersion;
        // The SDK appends "+<commit>"; the commit belongs in build metadata, not the version operators compare.
        var plus = version.IndexOf('+');
        return plus > 0 ? version[..plus] : version;
    }
}
