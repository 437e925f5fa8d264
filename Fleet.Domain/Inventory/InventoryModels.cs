namespace Fleet.Domain.Inventory;

/// <summary>Which parts of the inventory a refresh asks for. Facts (hardware, OS) always come along.</summary>
[Flags]
public enum InventorySections
{
    None = 0,
    Hardware = 1,
    Storage = 2,
    Network = 4,
    Users = 8,
    Groups = 16,
    Software = 32,
    All = Hardware | Storage | Network | Users | Groups | Software,
}

/// <summary>Identity and hardware facts of a host, as its agent reads them (serial number, model and manufacturer from DMI, where the machine has it).</summary>
public sealed record HostFacts(
    string Hostname,
    string Platform,
    string OsVersion,
    string KernelVersion,
    string AgentVersion,
    int CpuCount,
    string CpuModel,
    long MemoryTotalBytes,
    long UptimeSeconds,
    string IpAddress,
    string? SerialNumber = null,
    string? Model = null,
    string? Manufacturer = null);

/// <param name="FreeBytes">Space available to unprivileged users (statvfs f_bavail), as <c>df</c> shows it.</param>
public sealed record StorageDevice(
    string Device,
    string MountPoint,
    string Filesystem,
    long TotalBytes,
    long UsedBytes,
    long FreeBytes)
{
    /// <summary>
    /// Used ÷ (used + available), the figure <c>df</c> prints: blocks reserved for root (and, on some
    /// file systems, metadata) count in the size but are not available, so used ÷ size understates how full a disk is.
    /// Rounded up, as df does, so a disk is never shown emptier than df shows it.
    /// </summary>
    public int UsagePercent =>
        UsedBytes + FreeBytes <= 0 ? 0 : (int)Math.Min(100, Math.Ceiling(100.0 * Math.Max(0, UsedBytes) / (UsedBytes + FreeBytes)));
}

public sealed record NetworkInterfaceInfo(
    string Name,
    string? IpAddress,
    string? Netmask,
    string? Gateway,
    string? MacAddress,
    bool IsUp,
    int? SpeedMbps);

public sealed record UserAccount(
    string Username,
    int Uid,
    int Gid,
    string HomeDirectory,
    string Shell,
    DateTimeOffset? LastLogin);

public sealed record UserGroup(string Name, int Gid, IReadOnlyList<string> Members);

public sealed record SoftwarePackage(
    string Name,
    string Version,
    string Architecture,
    string Status,
    string Description,
    DateTimeOffset? InstallDate);

/// <summary>
/// What an agent sends about its host. Sections it was not asked for are null and leave the stored
/// ones untouched.
/// </summary>
public sealed record InventoryReport(
    HostFacts Facts,
    IReadOnlyList<StorageDevice>? Storage,
    IReadOnlyList<NetworkInterfaceInfo>? Network,
    IReadOnlyList<UserAccount>? Users,
    IReadOnlyList<UserGroup>? Groups,
    IReadOnlyList<SoftwarePackage>? Software,
    string? CollectionError = null);
