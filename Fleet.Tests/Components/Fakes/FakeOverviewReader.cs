using Fleet.Web.Engine;
using Fleet.Web.Engine.Overview;

namespace Fleet.Tests.Components.Fakes;

/// <summary>An overview a test sets by hand: three hosts, two online, nothing else.</summary>
public sealed class FakeOverviewReader : IOverviewReader
{
    public FleetOverview Current { get; set; } = new(
        new FleetCounts(3, 2, 1, 0, 0, DateTimeOffset.UtcNow),
        [new OnlineSample(DateTimeOffset.UtcNow, 2, 3)],
        [new MixSlice("Debian 13", 3)],
        [new MixSlice("0.1.0", 3)],
        [],
        [],
        new AttentionList([], 0, 0, 0));

    public Task<FleetOverview> GetAsync(CancellationToken ct = default) => Task.FromResult(Current);
}
