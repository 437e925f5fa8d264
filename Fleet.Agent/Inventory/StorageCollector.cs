using Fleet.Domain.Inventory;

namespace Fleet.Agent.Inventory;

/// <summary>Mounted filesystems with their sizes, measured the way df does (used = blocks - free, free = available to users).</summary>
public sealed class StorageCollector(HostRoot root)
{
    public IReadOnlyList<StorageDevice> Collect()
    {
        IReadOnlyList<MountEntry> mounts;
        using (var reader = new StreamReader(root.Resolve("/proc/mounts")))
            mounts = MountsParser.Parse(reader);

        var devices = new List<StorageDevice>(mounts.Count);
        foreach (var mount in mounts)
        {
            var (total, used, free) = Measure(root.Resolve(mount.MountPoint));
            devices.Add(new StorageDevice(mount.Device, mount.MountPoint, mount.Filesystem, total, used, free));
        }
        return devices;
    }

    // A mount we may not stat (another user's FUSE mount, a hung NFS server answering an error)
    // is still worth listing; zero sizes say "unknown" without failing the whole section.
    private static (long Total, long Used, long Free) Measure(string path)
    {
        try
        {
            var drive = new DriveInfo(path);
            var total = drive.TotalSize;
            return (total, Math.Max(0, total - drive.TotalFreeSpace), drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (0, 0, 0);
        }
    }
}
