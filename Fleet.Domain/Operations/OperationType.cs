namespace Fleet.Domain.Operations;

/// <summary>The kinds of headless operation seed 000 names; each runs as a built-in job template on the engine.</summary>
public enum OperationType
{
    InventorySync = 0,
    HealthCheck = 1,
    RestartService = 2,
    Reboot = 3,
    Update = 4,
}

public static class OperationTypes
{
    private static readonly Dictionary<string, OperationType> ByWireName = new(StringComparer.Ordinal)
    {
        ["inventory_sync"] = OperationType.InventorySync,
        ["health_check"] = OperationType.HealthCheck,
        ["restart_service"] = OperationType.RestartService,
        ["reboot"] = OperationType.Reboot,
        ["update"] = OperationType.Update,
    };

    public static IReadOnlyCollection<string> WireNames => ByWireName.Keys;

    public static bool TryParse(string? wireName, out OperationType type) => ByWireName.TryGetValue(wireName ?? "", out type);

    public static string WireName(this OperationType type) => ByWireName.First(p => p.Value == type).Key;

    /// <summary>What one device typically takes, for the estimate the API returns; never longer than the operation's own timeout.</summary>
    public static int TypicalMinutes(this OperationType type) => type switch
    {
        OperationType.HealthCheck => 2,
        OperationType.InventorySync => 5,
        OperationType.RestartService => 2,
        OperationType.Reboot => 10,
        _ => 30,
    };
}
