using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Tests.Components.Jobs;

public sealed class JobPagesTests : FleetPageTestContext
{
    private static readonly Guid HostA = Guid.NewGuid();
    private static readonly Guid HostB = Guid.NewGuid();
    private static readonly Guid RunA = Guid.NewGuid();
    private static readonly Guid RunB = Guid.NewGuid();

    private InvocationDetail Detail(int succeeded, int failed, string label = "running") => new(
        new InvocationRow(7, "Run uptime", "Commands", label, succeeded, failed, 0, 2 - succeeded - failed, 0, 2, DateTimeOffset.UtcNow, null, false, "alice"),
        "Run Command - Script Default", "uptime", "static_query", "name ~ web", null, null, null, null, null, null, label == "running" ? "running" : "stopped", null,
        [
            new TargetRunRow(RunA, HostA, "web-a", succeeded > 0 ? "success" : "running", succeeded > 0 ? 0 : null, DateTimeOffset.UtcNow, null, null),
            new TargetRunRow(RunB, HostB, "web-b", failed > 0 ? "failure" : "running", failed > 0 ? 1 : null, DateTimeOffset.UtcNow, null, failed > 0 ? "exit 1" : null),
        ]);

    [Fact]
    public void JobPage_ShowsCountsAndHosts_AndRefreshesOnItsEvents()
    {
        Invocations.Details[7] = Detail(0, 0);
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        Assert.Equal("0", page.Find("#count-succeeded").TextContent);
        Assert.Equal("running", page.Find("[data-target-host=web-a]").GetAttribute("data-target-status"));
        // Only web-b changed: the refresh reads the summary and that run, and leaves web-a's row as it was.
        var later = Detail(0, 1);
        Rollouts.Jobs[7] = new JobChanges(later.Summary, later.State, null, null, [new ChangedRun(later.Targets[1], 1, DateTimeOffset.UtcNow)]);
        Events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, HostB, DateTimeOffset.UtcNow, 7));
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("#count-failed").TextContent), TimeSpan.FromSeconds(3));
        Assert.Equal("failure", page.Find("[data-target-host=web-b]").GetAttribute("data-target-status"));
        Assert.Equal("running", page.Find("[data-target-host=web-a]").GetAttribute("data-target-status"));
        Assert.NotEmpty(Rollouts.JobQueries);
    }

    [Fact]
    public void JobPage_WhenTheJobEnds_ReadsEveryRunAgain_EvenOnesTheChangeWindowMissed()
    {
        Invocations.Details[7] = Detail(0, 0);
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        Assert.Equal("running", page.Find("[data-target-host=web-a]").GetAttribute("data-target-status"));
        // The job ended, but the change read names only web-b: web-a's success was committed too late for its window.
        var ended = Detail(1, 1, "failed");
        Invocations.Details[7] = ended;
        Rollouts.Jobs[7] = new JobChanges(ended.Summary, ended.State, null, null, [new ChangedRun(ended.Targets[1], 1, DateTimeOffset.UtcNow)]);
        Events.Publish(new FleetEvent(FleetEventKind.InvocationChanged, Guid.Empty, DateTimeOffset.UtcNow, 7));
        page.WaitForAssertion(() => Assert.Equal("success", page.Find("[data-target-host=web-a]").GetAttribute("data-target-status")), TimeSpan.FromSeconds(3));
        Assert.Equal("failure", page.Find("[data-target-host=web-b]").GetAttribute("data-target-status"));
    }

    [Fact]
    public void JobPage_HaltedRollout_ShowsTheReasonAndThePlan()
    {
        Invocations.Details[7] = Detail(0, 1, "failed") with { Waves = "1, rest", FailureThreshold = "1", HaltReason = "Rollout halted: 1 failed target run(s) reached (1 of 2 failed)." };
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        Assert.Contains("Rollout halted", page.Find("#job-halt-reason").TextContent);
        Assert.Equal("1, rest; halts at 1 failed", page.Find("#job-waves").TextContent);
        Assert.Equal("/jobs/7/progress", page.Find("#live-progress").GetAttribute("href"));
    }

    [Fact]
    public void JobPage_HostOutput_StylesStderr()
    {
        Invocations.Details[7] = Detail(1, 1, "failed");
        Invocations.Output[(7, HostB)] = [new(1, "stdout", "starting\n", DateTimeOffset.UtcNow), new(2, "stderr", "boom\n", DateTimeOffset.UtcNow)];
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        page.FindAll("tr.mud-table-row").Single(r => r.TextContent.Contains("web-b")).Click();
        page.WaitForAssertion(() => Assert.Contains("boom", page.Find("#output-view").TextContent));
        Assert.Equal("boom\n", page.Find("#output-view .fleet-stderr").TextContent);
    }

    [Fact]
    public void JobPage_SelectsTheFirstFailedHost_AndShowsItsOutputWithoutAClick()
    {
        Invocations.Details[7] = Detail(1, 1, "failed");
        Invocations.Output[(7, HostB)] = [new(1, "stderr", "disk full\n", DateTimeOffset.UtcNow)];
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        page.WaitForAssertion(() => Assert.Contains("Output of web-b", page.Markup));
        Assert.Contains("disk full", page.Find("#output-view").TextContent);
        Assert.Empty(page.FindAll("#output-hint"));
        Assert.Contains("fleet-selected-row", page.FindAll("tr.mud-table-row").Single(r => r.TextContent.Contains("web-b")).ClassName);
    }

    [Fact]
    public void JobPage_WithSeveralHostsAndNoFailure_AsksToSelectAHost()
    {
        Invocations.Details[7] = Detail(0, 0);
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        Assert.Equal("Select a host to see its output.", page.Find("#output-hint").TextContent);
        Assert.Empty(page.FindAll("#output-view"));
    }

    [Fact]
    public void JobPage_ShowsTheBreadcrumbTimesAndHostLinks()
    {
        var started = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
        Invocations.Details[7] = Detail(2, 0, "succeeded") with
        {
            Summary = Detail(2, 0, "succeeded").Summary with { StartedAt = started, EndedAt = started.AddSeconds(75) },
        };
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        Assert.Equal(["Jobs", "#7"], page.FindAll("#job-breadcrumbs li.mud-breadcrumb-item").Select(li => li.TextContent.Trim()));
        Assert.Equal("2026-11-29 08:00:00 UTC", page.Find("#job-started").TextContent);
        Assert.Equal("2026-11-29 08:01:15 UTC", page.Find("#job-ended").TextContent);
        Assert.Equal("1 min 15 s", page.Find("#job-duration").TextContent);
        Assert.Equal($"/hosts/{HostA}", page.Find($"[data-host-link='{HostA}']").GetAttribute("href"));
    }

    [Fact]
    public void JobPage_GroupByOutput_ShowsEachOutputOnceWithItsHostsAndHowTheyEnded()
    {
        Invocations.Details[7] = Detail(1, 1, "failed");
        Invocations.Groups.AddRange(OutputGroup.Group(
        [
            (new GroupedHost("web-a", "success", 0), "ok\n"),
            (new GroupedHost("web-c", "failure", 1), "ok\n"),
            (new GroupedHost("web-b", "failure", 1), "boom\n"),
        ]));
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        page.Find("#group-by-output").Change(true);
        page.WaitForAssertion(() => Assert.Equal(["2", "1"], page.FindAll("[data-output-group]").Select(g => g.GetAttribute("data-output-group"))));
        Assert.Equal(["ok\n", "boom\n"], page.FindAll("[data-output-group] pre").Select(p => p.TextContent));
        var first = page.FindAll("[data-output-group]")[0];
        Assert.Contains("exit code 0: web-a", first.TextContent);
        Assert.Contains("exit code 1: web-c", first.TextContent);
    }

    [Fact]
    public void JobPage_UnknownJob_SaysSoWithALinkBackToJobs()
    {
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 404));
        page.WaitForAssertion(() => Assert.Contains("Job #404 does not exist.", page.Find("#job-not-found").TextContent));
        Assert.Equal("/jobs", page.Find("#job-not-found a").GetAttribute("href"));
    }

    [Fact]
    public async Task JobPage_RerunFailed_AsksTheEngineAndOpensTheNewJob()
    {
        Invocations.Details[7] = Detail(1, 1, "failed");
        RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        await page.Find("#rerun-failed").ClickAsync(new());
        Assert.Equal((7L, RerunFilter.FailedOnly), Assert.Single(Invocations.Reruns));
        Assert.EndsWith("/jobs/42", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void JobPage_Cancel_Cancelled_NamedTheJobAndItsUnfinishedHosts_AndCancelsNothing()
    {
        Invocations.Details[7] = Detail(1, 0);
        var dialogs = RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));

        page.WaitForElement("#cancel-job").Click();
        // web-a succeeded: only web-b is touched.
        NamesWhatItTouches_ThenCancel(dialogs, "Cancel job #7?", "Run uptime", "on the 1 host not finished", "web-b");

        Assert.Empty(Invocations.Cancelled);
    }

    [Fact]
    public void JobPage_Cancel_ListsOnlyTheUnfinishedHosts()
    {
        Invocations.Details[7] = Detail(1, 0);
        var dialogs = RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));

        page.WaitForElement("#cancel-job").Click();

        dialogs.WaitForAssertion(() => Assert.Equal(["web-b"], dialogs.FindAll("[data-touches]").Select(li => li.TextContent)));
    }

    [Fact]
    public async Task JobPage_Cancel_AsksForConfirmationFirst()
    {
        Invocations.Details[7] = Detail(0, 0);
        var dialogs = RenderProviders();
        var page = Render<JobInvocation>(p => p.Add(x => x.InvocationId, 7));
        var clicking = page.Find("#cancel-job").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Cancel job #7?", dialogs.Markup));
        Assert.Empty(Invocations.Cancelled);
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Cancel job")).ClickAsync(new());
        await clicking;
        Assert.Equal((7L, false), Assert.Single(Invocations.Cancelled));
    }

    [Fact]
    public void JobsList_ShowsRows_AndTheStatusFilterReachesTheService()
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-10);
        Invocations.Rows.Add(new InvocationRow(3, "Nightly report", "Reports", "succeeded", 4, 0, 0, 0, 0, 4, DateTimeOffset.UtcNow, null, true, "bob",
            started, started.AddSeconds(4.2)));
        RenderProviders();
        var page = Render<Fleet.Web.Components.Pages.Jobs>();
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-invocation-id]").GetAttribute("data-invocation-id")));
        Assert.Equal("4.2 s", page.Find("[data-job-duration='3']").TextContent);
        Assert.Contains("Nightly report", page.Markup);
        Assert.Contains(Invocations.ListQueries, q => q.Status is null);
    }
}

public sealed class JobTemplatesPageTests : FleetPageTestContext
{
    [Fact]
    public void ListsTemplatesWithTheirInputs_AndLinksToTheWizard()
    {
        RenderProviders();
        var page = Render<Fleet.Web.Components.Pages.JobTemplates>();
        var deploy = page.Find("[data-template=Deploy]");
        Assert.Contains("token", deploy.TextContent);
        Assert.Contains("staging, production", deploy.TextContent);
        Assert.Contains(page.FindAll("a"), a => a.GetAttribute("href") == "/jobs/new?template=2");
    }
}

public sealed class JobWizardPrefillTests : FleetPageTestContext
{
    [Fact]
    public void TemplateQueryParameter_PreselectsTheTemplate()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/jobs/new?template=2");
        RenderProviders();
        var wizard = Render<Fleet.Web.Components.Pages.JobWizard>();
        Assert.Contains("Deploy an app", wizard.Find("#template-description").TextContent);
    }
}
