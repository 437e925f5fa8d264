using System.Globalization;
using Fleet.Domain.Inventory;

namespace Fleet.Agent.Inventory;

/// <summary>Parses the tab-separated lines of <see cref="QueryFormat"/> as printed by `rpm -qa`.</summary>
public static class RpmQueryParser
{
    public const string QueryFormat = "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{INSTALLTIME}\\t%{SUMMARY}\\n";

    public static IReadOnlyList<SoftwarePackage> Parse(TextReader reader)
    {
        var packages = new List<SoftwarePackage>(capacity: 1024);
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split('\t', 5);
            // gpg-pubkey "packages" are imported signing keys, not software.
            if (f.Length < 4 || f[0].Length == 0 || f[0] == "gpg-pubkey") continue;
            DateTimeOffset? installed = long.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
            var arch = f[2] == "(none)" ? "noarch" : f[2];
            packages.Add(new SoftwarePackage(f[0], f[1], arch, DpkgStatusParser.InstalledStatus, f.Length > 4 ? f[4] : "", installed));
        }
        return packages;
    }
}
