namespace Fleet.Web.Security;

/// <summary><c>Fleet:Bootstrap</c>: how a fresh install gets its first admin.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Fleet:Bootstrap";

    /// <summary>The first admin's password; empty → one is generated and logged once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>An admin API token with this exact value (automation, tests); empty → none.</summary>
    public string? AdminToken { get; set; }
}
