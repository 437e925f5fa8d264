using Fleet.Domain.Inventory;

namespace Fleet.Tests.Domain.Inventory;

public sealed class StorageDeviceTests
{
    [Theory]
    // The machine this was found on: df says 18 % (17.2 GB used, 81.9 GB available on a 270.6 GB file system).
    [InlineData(270_553_174_016, 17_197_371_392, 81_903_271_936, 18)]
    // ext4's 5 % reserve: a disk df shows full is full here too, though used ÷ size would say 95 %.
    [InlineData(100_000, 95_000, 0, 100)]
    [InlineData(0, 0, 0, 0)]
    [InlineData(1_000, 1, 999, 1)]
    public void UsagePercent_IsUsedOverUsedPlusAvailable_AsDfShowsIt(long total, long used, long available, int expected) =>
        Assert.Equal(expected, new StorageDevice("/dev/vda", "/", "ext4", total, used, available).UsagePercent);
}
