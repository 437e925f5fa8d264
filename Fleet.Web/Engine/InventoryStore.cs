using System.Text.Json;
using Fleet.Domain.Inventory;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine;

/// <summary>Stores and reads inventory sections as JSON documents, one row per host and section.</summary>
public static class InventoryStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly InventorySections[] StoredSections =
        [InventorySections.Storage, InventorySections.Network, InventorySections.Users, InventorySections.Groups, InventorySections.Software];

    /// <summary>Writes every section the report carries into <paramref name="db"/>'s change tracker (the caller saves).</summary>
    public static async Task SaveAsync(FleetDbContext db, Guid hostId, InventoryReport report, DateTimeOffset now)
    {
        await SaveSectionAsync(db, hostId, InventorySections.Storage, report.Storage, now);
        await SaveSectionAsync(db, hostId, InventorySections.Network, report.Network, now);
        await SaveSectionAsync(db, hostId, InventorySections.Users, report.Users, now);
        await SaveSectionAsync(db, hostId, InventorySections.Groups, report.Groups, now);
        await SaveSectionAsync(db, hostId, InventorySections.Software, report.Software, now);
    }

    private static async Task SaveSectionAsync<T>(FleetDbContext db, Guid hostId, InventorySections section, IReadOnlyList<T>? items, DateTimeOffset now)
    {
        if (items is null) return;
        // Find sees a section an earlier item of the same batch added (it reads the tracked entities by key first).
        var record = await db.InventorySections.FindAsync(hostId, section);
        if (record is null)
        {
            record = new InventorySectionRecord { HostId = hostId, Section = section };
            db.InventorySections.Add(record);
        }
        record.Json = JsonSerializer.Serialize(items, Json);
        record.ItemCount = items.Count;
        record.FullestPercent = items is IReadOnlyList<StorageDevice> { Count: > 0 } disks ? disks.Max(d => d.UsagePercent) : null;
        record.UpdatedAt = now;
    }

    public static async Task<InventorySection<T>> ReadAsync<T>(FleetDbContext db, Guid hostId, InventorySections section, CancellationToken ct)
    {
        var record = await db.InventorySections.AsNoTracking()
            .Where(s => s.HostId == hostId && s.Section == section)
            .Select(s => new { s.Json, s.UpdatedAt })
            .FirstOrDefaultAsync(ct);
        return record is null
            ? InventorySection<T>.Empty
            : new InventorySection<T>(JsonSerializer.Deserialize<List<T>>(record.Json, Json) ?? [], record.UpdatedAt);
    }
}
