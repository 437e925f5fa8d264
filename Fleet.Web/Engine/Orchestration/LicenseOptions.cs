using Fleet.Domain.Orchestration;

namespace Fleet.Web.Engine.Orchestration;

/// <summary>Configuration section <c>Fleet:License</c>.</summary>
public sealed class LicenseOptions
{
    public const string Section = "Fleet:License";

    /// <summary>Community, Professional or Enterprise; unset means Professional, so the product works out of the box.</summary>
    public string? Tier { get; set; }

    /// <summary>
    /// The tier the configured text names. Kept as text and read here rather than bound to the enum, so a typo
    /// (or a number, which the enum would accept) means Community with a warning instead of failing start-up.
    /// </summary>
    public LicenseTier EffectiveTier(ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(Tier)) return LicenseTier.Professional;
        var configured = Tier.Trim();
        if (!char.IsDigit(configured[0]) && Enum.TryParse<LicenseTier>(configured, ignoreCase: true, out var tier) && Enum.IsDefined(tier)) return tier;
        logger.LogWarning("Fleet:License:Tier '{Tier}' is not Community, Professional or Enterprise; treating it as Community", Tier);
        return LicenseTier.Community;
    }
}
