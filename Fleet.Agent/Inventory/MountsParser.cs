using System.Text;

namespace Fleet.Agent.Inventory;

public sealed record MountEntry(string Device, string MountPoint, string Filesystem);

/// <summary>Turns /proc/mounts into the filesystems an operator thinks of as storage: one row per device.</summary>
public static class MountsParser
{
    // Kernel views, memory-backed and package-image filesystems: listing them would bury the disks.
    private static readonly HashSet<string> PseudoFilesystems = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "securityfs", "pstore", "debugfs",
        "tracefs", "configfs", "fusectl", "mqueue", "hugetlbfs", "bpf", "autofs", "binfmt_misc",
        "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "squashfs", "nfsd", "cgroup", "cgroup2",
        "fuse.gvfsd-fuse", "fuse.portal", "fuse.lxcfs", "rootfs",
    };

    public static IReadOnlyList<MountEntry> Parse(TextReader reader)
    {
        // A later mount on the same path hides the earlier one (e.g. "rootfs /" then "/dev/sda1 /").
        var byMountPoint = new Dictionary<string, MountEntry>(StringComparer.Ordinal);
        var order = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3) continue;
            var entry = new MountEntry(Unescape(fields[0]), Unescape(fields[1]), fields[2]);
            if (!byMountPoint.ContainsKey(entry.MountPoint)) order.Add(entry.MountPoint);
            byMountPoint[entry.MountPoint] = entry;
        }

        // Bind mounts and btrfs subvolumes repeat a device; the same disk counted twice would
        // double its size in any total, so keep "/" if it is one of them, else the shortest path.
        var byDevice = new Dictionary<string, MountEntry>(StringComparer.Ordinal);
        var devices = new List<string>();
        foreach (var entry in order.Select(m => byMountPoint[m]).Where(IsStorage))
        {
            if (byDevice.TryGetValue(entry.Device, out var seen))
            {
                if (Prefer(entry, seen)) byDevice[entry.Device] = entry;
                continue;
            }
            byDevice[entry.Device] = entry;
            devices.Add(entry.Device);
        }
        return devices.Select(d => byDevice[d]).ToList();
    }

    private static bool IsStorage(MountEntry entry)
    {
        if (entry.MountPoint == "/") return true;
        if (PseudoFilesystems.Contains(entry.Filesystem) || entry.Filesystem.StartsWith("cgroup", StringComparison.Ordinal)) return false;
        // Away from "/", overlays are container layers on a container host, not disks of this one.
        if (entry.Filesystem == "overlay") return false;
        return true;
    }

    private static bool Prefer(MountEntry candidate, MountEntry current) =>
        current.MountPoint != "/" &&
        (candidate.MountPoint == "/" || candidate.MountPoint.Length < current.MountPoint.Length);

    /// <summary>The kernel writes space, tab, newline and backslash in paths as octal escapes (\040).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var sb = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }
        return sb.ToString();
    }

    private static bool IsOctal(string s, int start)
    {
        if (start + 3 > s.Length) return false;
        for (var i = start; i < start + 3; i++)
            if (s[i] < '0' || s[i] > '7') return false;
        return true;
    }
}
