using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Overview;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

/// <summary>The landing page: counters, charts, what failed and what needs attention, refreshed live (throttled).</summary>
public sealed partial class Overview
{
    // The overview summarises the whole fleet: a few seconds of lag is fine, a query per event is not.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private FleetOverview? _overview;
    private List<ChartSeries<double>> _onlineSeries = [];
    private string[] _onlineLabels = [];
    private List<ChartSeries<double>> _resultSeries = [];
    private string[] _resultLabels = [];

    [Inject] private IOverviewReader Reader { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private DateTimeOffset Now => Clock.GetUtcNow();

    private IEnumerable<Counter> Counters =>
    [
        new("count-total", "Total hosts", _overview?.Counts.Total, Icons.Material.Filled.Dns, Color.Primary, "/"),
        new("count-online", "Online", _overview?.Counts.Online, Icons.Material.Filled.CheckCircle, Color.Success, "/"),
        new("count-offline", "Offline", _overview?.Counts.Offline, Icons.Material.Filled.CloudOff, Color.Default, "/"),
        new("count-pending", "Pending approval", _overview?.Counts.PendingApproval, Icons.Material.Filled.HourglassTop, Color.Warning, "/"),
        new("count-failed-jobs", "Failed jobs", _overview?.RecentFailedJobs.Count, Icons.Material.Filled.ErrorOutline, Color.Error, "/jobs"),
    ];

    private string SuccessRateText
    {
        get
        {
            var days = _overview?.RunResults ?? [];
            var succeeded = days.Sum(d => d.Succeeded);
            var finished = succeeded + days.Sum(d => d.Failed);
            return finished == 0 ? "No job has run on any host this week." : $"{Math.Round(100.0 * succeeded / finished, 1)} % of {finished} host runs succeeded";
        }
    }

    protected override async Task OnInitializedAsync()
    {
        Show(await Reader.GetAsync(PageClosed));
        FollowLiveEvents("the overview", _ => true, RefreshInterval, async () => Show(await Reader.GetAsync(PageClosed)));
    }

    private void Show(FleetOverview overview)
    {
        _overview = overview;
        var history = overview.OnlineHistory;
        _onlineSeries =
        [
            new() { Name = "Online", Data = new ChartData<double>(history.Select(s => (double)s.Online).ToArray()) },
            new() { Name = "Approved hosts", Data = new ChartData<double>(history.Select(s => (double)s.Total).ToArray()) },
        ];
        // Label only every few points: 144 samples a day cannot all carry a time.
        var every = Math.Max(1, history.Count / 6);
        _onlineLabels = history.Select((s, i) => i % every == 0 || i == history.Count - 1 ? s.At.ToLocalTime().ToString("HH:mm") : "").ToArray();
        _resultSeries =
        [
            new() { Name = "Succeeded", Data = new ChartData<double>(overview.RunResults.Select(d => (double)d.Succeeded).ToArray()) },
            new() { Name = "Failed", Data = new ChartData<double>(overview.RunResults.Select(d => (double)d.Failed).ToArray()) },
        ];
        _resultLabels = overview.RunResults.Select(d => d.Day.ToString("ddd")).ToArray();
    }


    private sealed record Counter(string Id, string Label, int? Value, string Icon, Color Color, string Href);
}
