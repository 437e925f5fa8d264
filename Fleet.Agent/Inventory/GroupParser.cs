using System.Globalization;
using Fleet.Domain.Inventory;

namespace Fleet.Agent.Inventory;

/// <summary>
/// /etc/group: name:password:gid:member,member. Only listed members count; users whose primary
/// group this is are not added, matching what `getent group` shows.
/// </summary>
public static class GroupParser
{
    public static IReadOnlyList<UserGroup> Parse(TextReader reader)
    {
        var groups = new List<UserGroup>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split(':');
            if (f.Length < 3 || f[0].Length == 0 || f[0][0] is '+' or '-') continue;
            if (!int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)) continue;
            var members = f.Length > 3
                ? f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
            groups.Add(new UserGroup(f[0], gid, members));
        }
        return groups;
    }
}
