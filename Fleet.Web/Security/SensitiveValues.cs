using System.Security.Cryptography;
using System.Text.Json;
using Fleet.Domain.Execution;
using Microsoft.AspNetCore.DataProtection;

namespace Fleet.Web.Security;

/// <summary>
/// Encrypts sensitive template input values (and scripts that contain them) for storage, with ASP.NET Core
/// Data Protection and the key ring in the data folder. A stored value is opened only to send its command to
/// the agent; everything people see holds the masked form.
/// </summary>
public sealed class SensitiveValues(IDataProtectionProvider provider)
{
    /// <summary>Marks a sealed value, so one stored before encryption existed is still read as written.</summary>
    private const string Prefix = "dp1:";

    private readonly IDataProtector _protector = provider.CreateProtector("Fleet.SensitiveValues.v1");

    public string Seal(string plain) => Prefix + _protector.Protect(plain);

    /// <exception cref="CryptographicException">The key that sealed the value is not in the key ring (lost or replaced).</exception>
    public string Open(string value) => value.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(value[Prefix.Length..]) : value;

    /// <summary>Creates the first key at start-up, so the key ring exists (and can be backed up) before any secret depends on it.</summary>
    public void EnsureKey() => _protector.Unprotect(_protector.Protect("ready"));

    /// <summary>The resolved inputs as stored: values of sensitive inputs sealed, the rest as given.</summary>
    public string SealInputs(JobTemplate template, IReadOnlyDictionary<string, string> inputs) =>
        JsonSerializer.Serialize(inputs.ToDictionary(i => i.Key, i =>
            template.Inputs.Any(t => t.Name == i.Key && t.Sensitive) && i.Value.Length > 0 ? Seal(i.Value) : i.Value));
}
