using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary><c>/jobs/{id}</c>: per-host status, the counters, rerun, and the way to the live progress page.</summary>
public sealed class JobPage(BrowserSession browser) : DashboardPage(browser)
{
    public ILocator Target(string hostname) => Page.Locator($"[data-target-host='{hostname}']");

    public Task ExpectTargetStatusAsync(string hostname, string status, float timeout = 45_000) =>
        Assertions.Expect(Target(hostname)).ToHaveAttributeAsync("data-target-status", status, new() { Timeout = timeout });

    /// <param name="name">succeeded, failed, total…</param>
    public ILocator Count(string name) => Page.Locator($"#count-{name}");

    public async Task<JobPage> RerunFailedAsync()
    {
        var before = Page.Url;
        await Page.ClickAsync("#rerun-failed");
        await Assertions.Expect(Page).Not.ToHaveURLAsync(before, new() { Timeout = 45_000 });
        var rerun = new JobPage(Browser);
        await rerun.ExpectOpenAsync();
        return rerun;
    }

    public async Task<RolloutProgressPage> OpenLiveProgressAsync()
    {
        await Page.ClickAsync("#live-progress");
        var progress = new RolloutProgressPage(Browser);
        await progress.ExpectOpenAsync();
        return progress;
    }

    internal Task ExpectOpenAsync() => ExpectUrlAsync(@"/jobs/\d+$");
}

/// <summary><c>/jobs/{id}/progress</c>: waves, counters and per-run timelines, updated live.</summary>
public sealed class RolloutProgressPage(BrowserSession browser) : DashboardPage(browser)
{
    public ILocator Wave(int number) => Page.Locator($"[data-wave='{number}']");

    public ILocator Waves => Page.Locator("[data-wave]");

    /// <param name="name">succeeded, pending…</param>
    public ILocator Count(string name) => Page.Locator($"[data-count='{name}']");

    public ILocator RunsWithStatus(string status) => Page.Locator($"[data-run-status='{status}']");

    public ILocator Status => Page.Locator("#rollout-status .status-chip");

    public async Task OpenRunAsync(string hostname) => await Page.Locator($"[data-run-host='{hostname}']").ClickAsync();

    public ILocator RunTransition(string status) => Page.Locator($"#run-timeline [data-transition='{status}']");

    internal Task ExpectOpenAsync() => ExpectUrlAsync(@"/jobs/\d+/progress$");
}
