using System.Globalization;

namespace Fleet.Agent.Inventory;

public sealed record PasswdEntry(string Username, int Uid, int Gid, string HomeDirectory, string Shell);

/// <summary>/etc/passwd: name:password:uid:gid:gecos:home:shell.</summary>
public static class PasswdParser
{
    public static IReadOnlyList<PasswdEntry> Parse(TextReader reader)
    {
        var entries = new List<PasswdEntry>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split(':');
            // NIS "+"/"-" lines and malformed ones carry no account of their own.
            if (f.Length < 7 || f[0].Length == 0 || f[0][0] is '+' or '-') continue;
            if (!int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)) continue;
            if (!int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)) continue;
            entries.Add(new PasswdEntry(f[0], uid, gid, f[5], f[6]));
        }
        return entries;
    }
}
