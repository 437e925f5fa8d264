using Fleet.Domain.Inventory;

namespace Fleet.Agent.Inventory;

/// <summary>Where an agent's inventory comes from: the real machine, or a seeded simulation.</summary>
public interface IInventorySource
{
    /// <summary>Facts are always filled; each other section only when asked for (otherwise null).</summary>
    Task<InventoryReport> CollectAsync(InventorySections sections, CancellationToken ct);
}
