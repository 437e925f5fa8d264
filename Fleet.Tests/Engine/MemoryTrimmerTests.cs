using Fleet.Web.Engine;

namespace Fleet.Tests.Engine;

/// <summary>When the server gives back memory a burst left committed: only once the heap stopped growing, only for a lot of it.</summary>
public sealed class MemoryTrimmerTests
{
    private const long Mb = 1024 * 1024;

    [Fact]
    public void ShouldTrim_HeapSteadyAndCommittedFarAboveIt_Trims() =>
        Assert.True(MemoryTrimmer.ShouldTrim(committed: 290 * Mb, heap: 190 * Mb, previousHeap: 189 * Mb, sinceLastTrim: null));

    [Fact]
    public void ShouldTrim_FirstCheck_WaitsToSeeWhetherTheHeapStillGrows() =>
        Assert.False(MemoryTrimmer.ShouldTrim(committed: 290 * Mb, heap: 190 * Mb, previousHeap: null, sinceLastTrim: null));

    [Fact]
    public void ShouldTrim_HeapStillGrowing_WaitsForTheBurstToEnd() =>
        Assert.False(MemoryTrimmer.ShouldTrim(committed: 290 * Mb, heap: 190 * Mb, previousHeap: 150 * Mb, sinceLastTrim: null));

    [Fact]
    public void ShouldTrim_TrimmedRecently_WaitsForTheMinimumInterval()
    {
        Assert.False(MemoryTrimmer.ShouldTrim(290 * Mb, 190 * Mb, 190 * Mb, MemoryTrimmer.MinInterval - TimeSpan.FromSeconds(1)));
        Assert.True(MemoryTrimmer.ShouldTrim(290 * Mb, 190 * Mb, 190 * Mb, MemoryTrimmer.MinInterval));
    }

    [Theory]
    [InlineData(250, 190)] // 60 MB slack: under the 64 MB floor
    [InlineData(1100, 900)] // 200 MB slack, but under a quarter of a 900 MB heap
    public void ShouldTrim_LittleSlack_LeavesTheHeapAlone(long committedMb, long heapMb) =>
        Assert.False(MemoryTrimmer.ShouldTrim(committedMb * Mb, heapMb * Mb, heapMb * Mb, null));
}
