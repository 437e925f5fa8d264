using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;

namespace Fleet.Tests.Engine;

/// <summary>The fleet status counts (seed 001's <c>GET /api/v1/fleet/status</c>), read in one pass over the hosts.</summary>
public sealed class FleetReaderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryFleetDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task GetCounts_CountsEachApprovalAndConnectivity_AndErrorsOfApprovedHostsOnly()
    {
        await using (var db = _database.CreateDbContext())
        {
            db.Hosts.AddRange(
                Host("online-ok", approved: true, online: true),
                Host("online-err-1", approved: true, online: true, error: "disk full"),
                Host("online-err-2", approved: true, online: true, error: "dpkg locked"),
                Host("offline-ok", approved: true, online: false),
                Host("offline-err", approved: true, online: false, error: "no route"),
                Host("pending-err", approved: false, online: false, error: "not counted: not approved"),
                Host("pending", approved: false, online: false),
                Rejected("rejected"));
            await db.SaveChangesAsync();
        }

        var counts = await new FleetReader(_database, TimeProvider.System).GetCountsAsync();

        Assert.Equal((5, 3, 2, 2, 3), (counts.Total, counts.Online, counts.Offline, counts.PendingApproval, counts.WithErrors));
    }

    [Fact]
    public async Task GetCounts_NoHosts_AllZero()
    {
        var counts = await new FleetReader(_database, TimeProvider.System).GetCountsAsync();

        Assert.Equal((0, 0, 0, 0, 0), (counts.Total, counts.Online, counts.Offline, counts.PendingApproval, counts.WithErrors));
    }

    private static ManagedHost Host(string name, bool approved, bool online, string? error = null)
    {
        var host = new ManagedHost(Guid.NewGuid(), "machine-" + name, name, Now);
        if (approved) host.Approve(Now);
        if (online) host.MarkOnline(Now);
        else host.MarkOffline(Now);
        host.ReportError(error);
        return host;
    }

    private static ManagedHost Rejected(string name)
    {
        var host = new ManagedHost(Guid.NewGuid(), "machine-" + name, name, Now);
        host.Reject(Now);
        return host;
    }
}
