namespace Fleet.Domain.Orchestration;

/// <summary>The product's licence tiers, lowest first (configuration <c>Fleet:License:Tier</c>).</summary>
public enum LicenseTier
{
    Community = 0,
    Professional = 1,
    Enterprise = 2,
}

public static class Licensing
{
    /// <summary>Seed 001 marks the orchestrated reboot "PRO+".</summary>
    public static bool AllowsOrchestratedReboot(this LicenseTier tier) => tier >= LicenseTier.Professional;
}
