namespace Fleet.Web.Engine.Overview;

/// <summary>Everything the overview page shows, read in one pass.</summary>
public sealed record FleetOverview(
    FleetCounts Counts,
    IReadOnlyList<OnlineSample> OnlineHistory,
    IReadOnlyList<MixSlice> OperatingSystems,
    IReadOnlyList<MixSlice> AgentVersions,
    IReadOnlyList<DailyResults> RunResults,
    IReadOnlyList<InvocationRow> RecentFailedJobs,
    AttentionList Attention);

public sealed record OnlineSample(DateTimeOffset At, int Online, int Total);

/// <param name="Label">An OS ("Debian 13") or an agent version; "Other" gathers the smallest slices.</param>
public sealed record MixSlice(string Label, int Hosts);

/// <summary>Target runs that ended on one UTC day, by outcome.</summary>
public sealed record DailyResults(DateOnly Day, int Succeeded, int Failed)
{
    /// <summary>Null on a day nothing ran, so a quiet day is not drawn as a 0 % day.</summary>
    public double? SuccessPercent => Succeeded + Failed == 0 ? null : Math.Round(100.0 * Succeeded / (Succeeded + Failed), 1);
}

/// <summary>Hosts an operator should look at, the first few of each kind with the total.</summary>
public sealed record AttentionList(
    IReadOnlyList<AttentionHost> Hosts,
    int OfflineTotal,
    int DiskNearlyFullTotal,
    int PendingTotal);

/// <param name="Reason">offline | disk | pending</param>
/// <param name="Detail">"offline since …", "/var 94 % full", "waiting for approval".</param>
public sealed record AttentionHost(Guid HostId, string Hostname, string Reason, string Detail, DateTimeOffset Since);

public interface IOverviewReader
{
    Task<FleetOverview> GetAsync(CancellationToken ct = default);
}
