using AngleSharp.Dom;
using Bunit;
using Fleet.Domain.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Fleet.Domain;
using Fleet.Domain.Security;
using Fleet.Tests.Components.Fakes;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Pages;

public sealed class FleetStatusTests : FleetPageTestContext
{
    private readonly HostRow _alpha = FakeFleetReader.Row("alpha", "online");
    private readonly HostRow _beta = FakeFleetReader.Row("beta", "pending");
    private readonly HostRow _gamma = FakeFleetReader.Row("gamma", "offline", lastError: "disk full");

    public FleetStatusTests()
    {
        Reader.Hosts.AddRange([_alpha, _beta, _gamma]);
        Reader.Counts = new FleetCounts(Total: 3, Online: 1, Offline: 1, PendingApproval: 1, WithErrors: 1, DateTimeOffset.UtcNow);
    }

    [Fact]
    public void Counters_ShowTheReadersNumbers()
    {
        Reader.Counts = new FleetCounts(Total: 42, Online: 30, Offline: 7, PendingApproval: 4, WithErrors: 2, DateTimeOffset.UtcNow);

        var cut = Render<FleetStatus>();

        cut.WaitForAssertion(() => Assert.Equal("42", cut.Find("#count-total").TextContent.Trim()));
        Assert.Equal("30", cut.Find("#count-online").TextContent.Trim());
        Assert.Equal("7", cut.Find("#count-offline").TextContent.Trim());
        Assert.Equal("4", cut.Find("#count-pending").TextContent.Trim());
        Assert.Equal("2", cut.Find("#count-errors").TextContent.Trim());
    }

    [Fact]
    public void Rows_RenderEachHostWithItsStatusChip()
    {
        RenderProviders();
        var cut = Render<FleetStatus>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".host-name").Count));
        Assert.Equal(["alpha", "beta", "gamma"], cut.FindAll(".host-name").Select(e => e.GetAttribute("data-hostname")));
        Assert.Equal("online", RowOf(cut, "alpha").QuerySelector(".status-chip")!.TextContent.Trim());
        Assert.Equal("pending", RowOf(cut, "beta").QuerySelector(".status-chip")!.TextContent.Trim());
        Assert.Equal("offline", RowOf(cut, "gamma").QuerySelector(".status-chip")!.TextContent.Trim());
        Assert.Equal($"/hosts/{_alpha.Id}", RowOf(cut, "alpha").QuerySelector("a")!.GetAttribute("href"));
        Assert.NotNull(RowOf(cut, "gamma").QuerySelector("[data-host-error]"));
        Assert.Null(RowOf(cut, "alpha").QuerySelector("[data-host-error]"));
    }

    [Fact]
    public void Rows_FlagANearlyFullDisk_AndLinkTheLastJobWithItsResult()
    {
        Reader.Hosts[0] = _alpha with { FullestDiskPercent = 95, LastJob = new LastJobResult(12, "failure", DateTimeOffset.UtcNow) };
        Reader.Hosts[1] = _beta with { FullestDiskPercent = 90 };
        RenderProviders();
        var cut = Render<FleetStatus>();

        cut.WaitForAssertion(() => Assert.Equal("A disk is 95 % full", RowOf(cut, "alpha").QuerySelector("[data-disk-full]")?.GetAttribute("aria-label")));
        Assert.Null(RowOf(cut, "beta").QuerySelector("[data-disk-full]"));
        var lastJob = RowOf(cut, "alpha").QuerySelector("[data-last-job]")!;
        Assert.Equal("/jobs/12", lastJob.GetAttribute("href"));
        Assert.Equal("failure", lastJob.QuerySelector(".status-chip")?.GetAttribute("data-status"));
        Assert.Null(RowOf(cut, "gamma").QuerySelector("[data-last-job]"));
    }

    [Fact]
    public void FlaggedHosts_ShowDuplicateAndReenrolmentChips()
    {
        Reader.Hosts[0] = _alpha with { DuplicateMachineId = true };
        Reader.Hosts[2] = _gamma with { ReenrolmentRequested = true };
        RenderProviders();
        var cut = Render<FleetStatus>();

        cut.WaitForAssertion(() => Assert.NotNull(RowOf(cut, "alpha").QuerySelector("[data-flag=duplicate]")));
        Assert.NotNull(RowOf(cut, "gamma").QuerySelector("[data-flag=reenrolment]"));
        Assert.Null(RowOf(cut, "alpha").QuerySelector("[data-flag=reenrolment]"));
        Assert.Null(RowOf(cut, "beta").QuerySelector("[data-flag]"));
    }

    [Fact]
    public void ApproveButton_OnlyOnPendingHosts_AndCallsApproveWithThatHostsId()
    {
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-action=approve]")));

        RowOf(cut, "beta").QuerySelector("[data-action=approve]")!.Click();

        cut.WaitForAssertion(() => Assert.Equal([_beta.Id], Operations.Approved));
        Assert.Contains("beta approved", SnackbarMessages);
    }

    [Fact]
    public void Approve_WhenTheDomainRefuses_ShowsItsMessage()
    {
        Operations.Failure = new DomainException("Host beta was already rejected.");
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-action=approve]")));

        cut.Find("[data-action=approve]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Host beta was already rejected.", SnackbarMessages));
    }

    [Fact]
    public void Reject_Cancelled_NamedTheHost_AndRejectsNothing()
    {
        var dialogs = RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-action=reject]")));

        cut.Find("[data-action=reject]").Click();
        NamesWhatItTouches_ThenCancel(dialogs, "Reject beta?", "Reject beta");

        Assert.Empty(Operations.Rejected);
    }

    [Fact]
    public void Reject_AfterConfirmation_CallsRejectWithThatHostsId()
    {
        var dialogs = RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-action=reject]")));

        cut.Find("[data-action=reject]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Reject beta?", dialogs.Markup));
        Assert.Empty(Operations.Rejected);
        dialogs.Find("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Equal([_beta.Id], Operations.Rejected));
    }

    [Fact]
    public void Viewer_SeesNoApproveOrRejectButtons()
    {
        SignInAs(Roles.Viewer);
        RenderProviders();
        var cut = Render<FleetStatus>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".host-name").Count));
        Assert.Empty(cut.FindAll("[data-action]"));
    }

    [Fact]
    public void NoHosts_ShowsEmptyState()
    {
        Reader.Hosts.Clear();
        RenderProviders();
        var cut = Render<FleetStatus>();

        cut.WaitForAssertion(() => Assert.Contains("No hosts yet", cut.Find("[data-empty-state]").TextContent));
    }

    [Fact]
    public void Search_AsksTheReaderForMatchingHostsOnly()
    {
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".host-name").Count));

        cut.Find("#host-search").Input("gam");

        cut.WaitForAssertion(() => Assert.Equal(["gamma"], cut.FindAll(".host-name").Select(e => e.TextContent)));
        Assert.Equal("gam", Reader.HostQueries[^1].Search);
    }

    [Fact]
    public void PublishedEvent_RefreshesCounters()
    {
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("#count-total").TextContent.Trim()));
        cut.WaitForAssertion(() => Assert.Equal(1, Events.SubscriberCount));

        Reader.Counts = Reader.Counts with { Total = 4, PendingApproval = 2 };
        Events.Publish(new FleetEvent(FleetEventKind.HostEnrolled, Guid.NewGuid(), DateTimeOffset.UtcNow));

        cut.WaitForAssertion(() => Assert.Equal("4", cut.Find("#count-total").TextContent.Trim()), TimeSpan.FromSeconds(5));
        Assert.Equal("2", cut.Find("#count-pending").TextContent.Trim());
    }

    [Fact]
    public void PublishedEvent_ReloadsTheTablePage()
    {
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".host-name").Count));
        cut.WaitForAssertion(() => Assert.Equal(1, Events.SubscriberCount));

        var delta = FakeFleetReader.Row("delta", "pending");
        Reader.Hosts.Add(delta);
        Events.Publish(new FleetEvent(FleetEventKind.HostEnrolled, delta.Id, DateTimeOffset.UtcNow));

        cut.WaitForAssertion(() => Assert.Equal("pending", RowOf(cut, "delta").QuerySelector(".status-chip")!.TextContent.Trim()),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Dispose_EndsTheEventSubscription()
    {
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Equal(1, Events.SubscriberCount));

        await DisposeComponentsAsync();

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Events.SubscriberCount > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, Events.SubscriberCount);
    }

    [Fact]
    public void BulkRunJob_OpensTheWizardWithTheChosenHostsPicked()
    {
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-select-host]").Count));
        Assert.Empty(cut.FindAll("#bulk-actions"));

        SelectHost(cut, "alpha");
        SelectHost(cut, "gamma");

        cut.WaitForAssertion(() => Assert.Equal("2 selected", cut.Find("#selected-count").TextContent.Trim()));
        // No pending host among them: nothing to approve.
        Assert.Empty(cut.FindAll("#bulk-approve"));
        cut.Find("#bulk-run-job").Click();
        Assert.EndsWith($"/jobs/new?hosts={_alpha.Id},{_gamma.Id}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void SelectPage_ChoosesEveryRow_ThenBulkApproveConfirmsWithTheCount_AndApprovesOnlyThePendingOnes()
    {
        var dialogs = RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-select-host]").Count));

        cut.Find("#select-page input, input#select-page").Change(true);

        cut.WaitForAssertion(() => Assert.Equal("3 selected", cut.Find("#selected-count").TextContent.Trim()));
        Assert.Equal("Approve 1 pending", cut.Find("#bulk-approve").TextContent.Trim());
        cut.Find("#bulk-approve").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Approve 1 pending host(s)? Their agents may then receive commands: beta.", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Approve 1").Click();

        cut.WaitForAssertion(() => Assert.Equal([_beta.Id], Operations.Approved));
        Assert.Contains(Audit.Entries, e => e.Action == "approve host" && e.Target.StartsWith("host beta", StringComparison.Ordinal));
    }

    [Fact]
    public void BulkRefresh_AsksEveryChosenHostForItsWholeInventory()
    {
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-select-host]").Count));
        SelectHost(cut, "alpha");
        SelectHost(cut, "beta");

        cut.Find("#bulk-refresh").Click();

        cut.WaitForAssertion(() => Assert.Single(Operations.InventoryRequests));
        var (hostIds, sections) = Operations.InventoryRequests[0];
        Assert.Equal(new[] { _alpha.Id, _beta.Id }.Order(), hostIds.Order());
        Assert.Equal(InventorySections.All, sections);
        cut.Find("#bulk-clear").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#bulk-actions")));
    }

    [Fact]
    public void Viewer_CannotSelectHosts()
    {
        SignInAs(Roles.Viewer);
        RenderProviders();
        var cut = Render<FleetStatus>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".host-name").Count));
        Assert.Empty(cut.FindAll("[data-select-host]"));
        Assert.Empty(cut.FindAll("#select-page"));
    }

    private static void SelectHost(IRenderedComponent<FleetStatus> cut, string hostname) =>
        cut.Find($"[data-select-host='{hostname}'] input, input[data-select-host='{hostname}']").Change(true);

    private static IElement RowOf(IRenderedComponent<FleetStatus> cut, string hostname) =>
        cut.FindAll("tr").Single(tr => tr.QuerySelector($".host-name[data-hostname='{hostname}']") is not null);
}
