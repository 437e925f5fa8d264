using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class MountsParserTests : IDisposable
{
    private readonly FixtureRoot _root = new();

    public void Dispose() => _root.Dispose();

    private IReadOnlyList<MountEntry> ParseFixture(string content)
    {
        _root.Write("/proc/mounts", content);
        using var reader = _root.Open("/proc/mounts");
        return MountsParser.Parse(reader);
    }

    [Fact]
    public void Parse_KeepsDisksAndSkipsPseudoFilesystems()
    {
        var mounts = ParseFixture("""
            sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
            proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
            udev /dev devtmpfs rw,nosuid,relatime,size=8123456k 0 0
            devpts /dev/pts devpts rw,nosuid,noexec,relatime 0 0
            tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1632836k,mode=755 0 0
            /dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0
            cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0
            /dev/loop3 /snap/core22/1612 squashfs ro,nodev,relatime 0 0
            /dev/nvme0n1p1 /boot/efi vfat rw,relatime 0 0
            /dev/sdb1 /srv/data xfs rw,relatime 0 0
            """);

        Assert.Equal(["/", "/boot/efi", "/srv/data"], mounts.Select(m => m.MountPoint));
        Assert.Equal(["ext4", "vfat", "xfs"], mounts.Select(m => m.Filesystem));
    }

    [Fact]
    public void Parse_KeepsOverlayRootButSkipsOtherOverlays()
    {
        var mounts = ParseFixture("""
            overlay / overlay rw,relatime,lowerdir=/var/lib/docker/overlay2/l/ABC 0 0
            overlay /var/lib/docker/overlay2/abc/merged overlay rw,relatime 0 0
            """);

        var root = Assert.Single(mounts);
        Assert.Equal("/", root.MountPoint);
        Assert.Equal("overlay", root.Filesystem);
    }

    [Fact]
    public void Parse_AlwaysKeepsRootEvenOnAPseudoFilesystem()
    {
        var mounts = ParseFixture("tmpfs / tmpfs rw 0 0\nproc /proc proc rw 0 0\n");

        Assert.Equal("/", Assert.Single(mounts).MountPoint);
    }

    [Fact]
    public void Parse_ListsABindMountedDeviceOnceUnderRoot()
    {
        var mounts = ParseFixture("""
            /dev/vda /etc/resolv.conf ext4 rw,relatime 0 0
            /dev/vda / ext4 rw,relatime 0 0
            /dev/vda /etc/hosts ext4 rw,relatime 0 0
            """);

        Assert.Equal("/", Assert.Single(mounts).MountPoint);
    }

    [Fact]
    public void Parse_LaterMountOnSamePathHidesEarlierOne()
    {
        var mounts = ParseFixture("rootfs / rootfs rw 0 0\n/dev/sda1 / ext4 rw 0 0\n");

        Assert.Equal("/dev/sda1", Assert.Single(mounts).Device);
    }

    [Fact]
    public void Parse_DecodesOctalEscapesInPaths()
    {
        var mounts = ParseFixture("/dev/sda1 / ext4 rw 0 0\n/dev/sdc1 /media/usb\\040stick vfat rw 0 0\n");

        Assert.Contains(mounts, m => m.MountPoint == "/media/usb stick");
    }
}
