using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Domain.Inventory;

/// <summary>
/// A fingerprint of what is meaningful in an inventory report, so a reconnecting agent re-sends its
/// inventory only when something an operator would care about changed. Uptime and the used/free bytes
/// of each filesystem move all the time and are left out; a disk's total size is kept. Lists are
/// sorted first, so reading /etc/passwd or the package database in another order is not a change.
/// Compare hashes of reports collected for the same sections: a section left null hashes differently
/// from the same section filled in.
/// </summary>
public static class InventoryHash
{

    public static string Compute(InventoryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stable = new InventoryReport(
            report.Facts with { UptimeSeconds = 0 },
            report.Storage?
                .Select(s => s with { UsedBytes = 0, FreeBytes = 0 })
                .OrderBy(s => s.MountPoint, StringComparer.Ordinal).ThenBy(s => s.Device, StringComparer.Ordinal)
                .ToArray(),
            report.Network?.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray(),
            report.Users?
                .Select(u => u with { LastLogin = u.LastLogin?.ToUniversalTime() })
                .OrderBy(u => u.Username, StringComparer.Ordinal).ThenBy(u => u.Uid)
                .ToArray(),
            report.Groups?
                .Select(g => g with { Members = g.Members.Order(StringComparer.Ordinal).ToArray() })
                .OrderBy(g => g.Name, StringComparer.Ordinal).ThenBy(g => g.Gid)
                .ToArray(),
            report.Software?
                .Select(p => p with { InstallDate = p.InstallDate?.ToUniversalTime() })
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .ThenBy(p => p.Architecture, StringComparer.Ordinal)
                .ThenBy(p => p.Version, StringComparer.Ordinal)
                .ToArray(),
            report.CollectionError);

        var json = JsonSerializer.SerializeToUtf8Bytes(stable, InventoryHashJsonContext.Default.InventoryReport);
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }
}

/// <summary>
/// Fixed, explicit settings: the hash must not change because a default changed somewhere. Source-generated, so the agent
/// (compiled ahead of time) and the server hash alike.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(InventoryReport))]
internal sealed partial class InventoryHashJsonContext : JsonSerializerContext;
