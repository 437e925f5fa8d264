using Bunit;
using Fleet.Domain.Execution;
using Fleet.Domain.Security;
using Fleet.Web.Components.Pages;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Pages;

public sealed class RolloutProgressTests : FleetPageTestContext
{
    private const long JobId = 42;
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-1);
    private readonly Guid _wave1 = Guid.NewGuid(), _wave2 = Guid.NewGuid(), _wave3 = Guid.NewGuid();

    public RolloutProgressTests()
    {
        Rollouts.Runs.AddRange([
            Run("canary", 0, _wave1, 0, "success"),
            Run("web-01", 1, _wave2, 1, "running"),
            Run("web-02", 1, _wave2, 2, "failure"),
            Run("db-01", 2, _wave3, 3, "pending", cancellable: true),
        ]);
        Rollouts.View = View(haltReason: null,
            Wave(_wave1, 0, "completed", new RunCounts(1, 0, 0, 0, 0)),
            Wave(_wave2, 1, "running", new RunCounts(0, 1, 0, 1, 0)),
            Wave(_wave3, 2, "waiting", new RunCounts(0, 0, 0, 0, 1)));
    }

    private static RunRow Run(string host, int wave, Guid stage, int position, string status, bool cancellable = false, DateTimeOffset? at = null) =>
        new(Guid.NewGuid(), stage, wave, position, Guid.NewGuid(), host, status, at ?? T0, null, cancellable);

    private static WaveView Wave(Guid id, int index, string state, RunCounts tally) =>
        new(id, index, state, tally.Total, tally, null, T0, state == "completed" ? T0 : null, state == "halted" ? "halted by threshold" : null);

    private static RolloutView View(string? haltReason, params WaveView[] waves)
    {
        var tally = new RunCounts(waves.Sum(w => w.Tally.Succeeded), waves.Sum(w => w.Tally.Failed), waves.Sum(w => w.Tally.Cancelled),
            waves.Sum(w => w.Tally.Running), waves.Sum(w => w.Tally.Pending));
        return new RolloutView(JobId, "Run uptime", "running", "running", "1, 2, rest", "2", null, haltReason, null, tally, waves);
    }

    private IRenderedComponent<RolloutProgress> RenderPage() => Render<RolloutProgress>(p => p.Add(c => c.InvocationId, JobId));

    [Fact]
    public void Page_ShowsABarPerWaveWithItsStateAndCounts()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-wave]").Count));
        Assert.Equal(["completed", "running", "waiting"], cut.FindAll("[data-wave]").Select(w => w.GetAttribute("data-wave-state")));
        Assert.Equal("1", cut.Find("[data-wave='2']").GetAttribute("data-wave-finished"));
        Assert.Equal("2", cut.Find("[data-wave='2']").GetAttribute("data-wave-total"));
        Assert.Equal("1", cut.Find("[data-count='failed']").TextContent);
        Assert.Equal("4", cut.Find("[data-count='total']").TextContent);
        Assert.Empty(cut.FindAll("#halt-reason"));
    }

    [Fact]
    public void Events_ForThisJob_RefreshCountsAndFetchOnlyChangedRuns()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-count='succeeded']").TextContent));

        var later = T0.AddSeconds(5);
        Rollouts.Runs[1] = Rollouts.Runs[1] with { Status = "success", UpdatedAt = later };
        Rollouts.View = View("Rollout halted: 2 failed target run(s) reached (2 of 4 failed).",
            Wave(_wave1, 0, "completed", new RunCounts(1, 0, 0, 0, 0)),
            Wave(_wave2, 1, "completed", new RunCounts(1, 1, 0, 0, 0)),
            Wave(_wave3, 2, "halted", new RunCounts(0, 0, 1, 0, 0)));
        Events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, later, JobId));

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-count='succeeded']").TextContent));
        Assert.Contains("Rollout halted", cut.Find("#halt-reason").TextContent);
        Assert.Equal("halted", cut.Find("[data-wave='3']").GetAttribute("data-wave-state"));
        Assert.Equal("success", cut.Find("[data-run-host='web-01']").GetAttribute("data-run-status"));
        lock (Rollouts.RunQueries)
        {
            Assert.Null(Rollouts.RunQueries[0]);
            Assert.All(Rollouts.RunQueries.Skip(1), since => Assert.Equal(T0, since));
        }
    }

    [Fact]
    public async Task Events_ForAnotherJob_DoNotRefresh()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(Rollouts.RunQueries));
        await Eventually.Until(() => Events.SubscriberCount == 1, "the page to subscribe");

        Events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, T0, JobId + 1));
        await Eventually.Until(() => Events.Handled == 1, "the page to read the other job's event");
        Assert.Equal(0, cut.Instance.RefreshRequests);
        Assert.Single(Rollouts.RunQueries);

        Events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, T0, JobId));
        await Eventually.Until(() => Events.Handled == 2, "the page to read its own job's event");
        Assert.Equal(1, cut.Instance.RefreshRequests);
    }

    [Fact]
    public void CancelRun_Cancelled_NamedTheHost_AndCancelsNothing()
    {
        var providers = RenderProviders();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-cancel-run]")));

        cut.Find("[data-cancel-run]").Click();
        NamesWhatItTouches_ThenCancel(providers, "Cancel the run on db-01?", "The target run on db-01");

        Assert.Empty(Rollouts.Cancelled);
    }

    [Fact]
    public void CancelRun_OnlyPendingRunsOfferIt_AndItAsksFirst()
    {
        var providers = RenderProviders();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-cancel-run]")));
        Assert.Equal("db-01", cut.Find("[data-cancel-run]").GetAttribute("data-cancel-run"));

        cut.Find("[data-cancel-run] ").Click();
        providers.WaitForAssertion(() => Assert.Contains("Cancel the run on db-01?", providers.Markup));
        providers.FindAll("button").Single(b => b.TextContent.Contains("Cancel target run")).Click();

        cut.WaitForAssertion(() => Assert.Single(Rollouts.Cancelled));
        Assert.Equal("admin-user", Rollouts.Cancelled[0].By);
        cut.WaitForAssertion(() => Assert.Equal("cancelled", cut.Find("[data-run-host='db-01']").GetAttribute("data-run-status")));
    }

    [Fact]
    public void CancelRun_IsNotOfferedToViewers()
    {
        SignInAs(Roles.Viewer);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-run-host]").Count));
        Assert.Empty(cut.FindAll("[data-cancel-run]"));
    }

    [Fact]
    public void SelectingARun_ShowsItsTransitions()
    {
        var run = Rollouts.Runs[2];
        Rollouts.Timelines[run.TargetRunId] = new RunTimeline(run,
        [
            new StatusChange("pending", "queued", T0, null),
            new StatusChange("queued", "processing", T0.AddSeconds(1), null),
            new StatusChange("complete", "failure", T0.AddSeconds(3), "exit code 4"),
        ], "failure", 4);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-run-host]").Count));

        cut.Find("[data-run-host='web-02']").Click();

        cut.WaitForAssertion(() => Assert.Equal(["queued", "processing", "failure"], cut.FindAll("[data-transition]").Select(t => t.GetAttribute("data-transition"))));
        Assert.Contains("exit 4", cut.Find("#run-timeline").TextContent);
        Assert.Contains("exit code 4", cut.Find("#run-timeline").TextContent);
    }

    [Fact]
    public void StageRunRoute_ShowsItsJobFilteredToThatWave()
    {
        var cut = Render<RolloutProgress>(p => p.Add(c => c.StageRunId, _wave2));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-run-host]").Count));
        Assert.Equal(["web-01", "web-02"], cut.FindAll("[data-run-host]").Select(r => r.GetAttribute("data-run-host")));
        Assert.Equal(3, cut.FindAll("[data-wave]").Count);
    }

    [Fact]
    public void StageRunRoute_UnknownStageRun_SaysSo()
    {
        var missing = Guid.NewGuid();
        var cut = Render<RolloutProgress>(p => p.Add(c => c.StageRunId, missing));
        cut.WaitForAssertion(() => Assert.Contains($"Stage run {missing} does not exist", cut.Markup));
    }

    [Fact]
    public void UnknownJob_SaysSo()
    {
        var cut = Render<RolloutProgress>(p => p.Add(c => c.InvocationId, 999));
        cut.WaitForAssertion(() => Assert.Contains("Job #999 does not exist", cut.Find("#rollout-not-found").TextContent));
        Assert.Equal("/jobs", cut.Find("#rollout-not-found a").GetAttribute("href"));
    }
}
