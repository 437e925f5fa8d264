using Fleet.Domain.Inventory;

namespace Fleet.Agent.Inventory;

/// <summary>
/// Streams the dpkg database (/var/lib/dpkg/status): RFC 822-like stanzas separated by blank lines,
/// continuation lines starting with a space. Only installed packages are returned. Hosts have
/// thousands of stanzas, so lines are matched by prefix, without regex, and only kept fields are copied.
/// </summary>
public static class DpkgStatusParser
{
    public const string InstalledStatus = "installed";

    /// <param name="installDate">Looks up the install time for (name, architecture); null to skip.</param>
    public static IReadOnlyList<SoftwarePackage> Parse(TextReader reader, Func<string, string, DateTimeOffset?>? installDate = null)
    {
        var packages = new List<SoftwarePackage>(capacity: 1024);
        string? name = null, version = null, arch = null, description = null;
        var installed = false;

        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                Flush();
                continue;
            }
            if (line[0] is ' ' or '\t') continue; // continuation of a multi-line field (Description, Conffiles)

            if (TryValue(line, "Package:", out var value)) name = value.ToString();
            else if (TryValue(line, "Status:", out value)) installed = IsInstalled(value);
            else if (TryValue(line, "Version:", out value)) version = value.ToString();
            else if (TryValue(line, "Architecture:", out value)) arch = SharedArchitecture(value);
            else if (TryValue(line, "Description:", out value)) description = value.ToString();
        }
        Flush();
        return packages;

        void Flush()
        {
            if (installed && !string.IsNullOrEmpty(name))
            {
                var architecture = arch ?? "";
                packages.Add(new SoftwarePackage(
                    name, version ?? "", architecture, InstalledStatus, description ?? "", installDate?.Invoke(name, architecture)));
            }
            name = version = arch = description = null;
            installed = false;
        }
    }

    /// <summary>"want flag status", e.g. "install ok installed" or "hold ok installed"; "deinstall ok config-files" is removed.</summary>
    private static bool IsInstalled(ReadOnlySpan<char> status)
    {
        var lastSpace = status.LastIndexOf(' ');
        return status[(lastSpace + 1)..].SequenceEqual(InstalledStatus);
    }

    private static bool TryValue(string line, string key, out ReadOnlySpan<char> value)
    {
        if (line.StartsWith(key, StringComparison.Ordinal))
        {
            value = line.AsSpan(key.Length).Trim();
            return true;
        }
        value = default;
        return false;
    }

    // Thousands of packages share a handful of architectures; one string each instead of one per package.
    private static string SharedArchitecture(ReadOnlySpan<char> arch) => arch switch
    {
        "all" => "all",
        "amd64" => "amd64",
        "arm64" => "arm64",
        "i386" => "i386",
        "armhf" => "armhf",
        _ => arch.ToString(),
    };
}
