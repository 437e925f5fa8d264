using AngleSharp.Dom;
using Bunit;
using Fleet.Domain.Inventory;
using Fleet.Domain.Security;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Pages;

public sealed class HostDetailsTests : FleetPageTestContext
{
    private static readonly DateTimeOffset Reported = DateTimeOffset.UtcNow.AddMinutes(-5);
    private readonly Guid _hostId = Guid.NewGuid();

    public HostDetailsTests()
    {
        Reader.Details[_hostId] = new HostDetail(
            _hostId, "web-01", "online", "linux", "Debian 12", "6.1.0-18-amd64", "1.2.0",
            CpuCount: 8, CpuModel: "AMD EPYC 7302", MemoryTotalBytes: 16L * 1024 * 1024 * 1024,
            UptimeSeconds: 90_061, IpAddress: "10.0.0.7", EnrolledAt: Reported.AddDays(-30), LastSeen: Reported,
            InventoryUpdatedAt: Reported, LastError: null);

        var software = Enumerable.Range(0, 300)
            .Select(i => new SoftwarePackage($"pkg-{i:D3}", "1.0", "amd64", "installed", "", null))
            .Concat([
                new SoftwarePackage("libssl3", "3.0.11", "amd64", "installed", "TLS library", null),
                new SoftwarePackage("libcurl4", "7.88.1", "amd64", "installed", "URL library", null),
                new SoftwarePackage("openssh-server", "9.2p1", "amd64", "installed", "SSH server", null),
            ])
            .ToList();
        Reader.Inventories[_hostId] = new HostInventoryView(
            Storage: new([
                new StorageDevice("/dev/sda1", "/", "ext4", TotalBytes: 100_000, UsedBytes: 80_000, FreeBytes: 20_000),
                new StorageDevice("/dev/sdb1", "/data", "xfs", TotalBytes: 100_000, UsedBytes: 95_000, FreeBytes: 5_000),
            ], Reported),
            Network: InventorySection<NetworkInterfaceInfo>.Empty,
            Users: new([
                new UserAccount("alice", 1000, 1000, "/home/alice", "/bin/bash", null),
                new UserAccount("root", 0, 0, "/root", "/bin/bash", null),
                new UserAccount("www-data", 33, 33, "/var/www", "/usr/sbin/nologin", null),
            ], Reported),
            Groups: new([new UserGroup("sudo", 27, ["alice", "bob"])], Reported),
            Software: new(software, Reported));
    }

    [Fact]
    public void Header_ShowsHostnameAndStatus_AndTheUptimeCountedOnFromTheBootTime()
    {
        // Reported 5 minutes ago with 1 day, 1 hour, 1 minute (and 1 s) of uptime: it has been up 5 minutes longer since.
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        cut.WaitForAssertion(() => Assert.Equal("web-01", cut.Find("#host-title").TextContent.Trim()));
        Assert.Equal("online", cut.Find(".status-chip").TextContent.Trim());
        Assert.Equal("1 day, 1 hour, 6 minutes", cut.Find("#host-uptime").TextContent.Trim());
    }

    [Fact]
    public void OfflineHost_ShowsTheUptimeOfItsLastReport()
    {
        Reader.Details[_hostId] = Reader.Details[_hostId] with { Status = "offline" };
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        cut.WaitForAssertion(() => Assert.Equal("1 day, 1 hour, 1 minute at the last report", cut.Find("#host-uptime").TextContent.Trim()));
    }

    [Fact]
    public void UsersTab_SearchesAndTellsPeopleFromSystemAccounts()
    {
        RenderProviders();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));
        OpenTab(cut, "Users");
        cut.WaitForAssertion(() => Assert.Equal(["alice", "root", "www-data"], Users(cut)));

        cut.Find("#user-search").Input("www");
        cut.WaitForAssertion(() => Assert.Equal(["www-data"], Users(cut)));

        cut.Find("#user-search").Input("");
        var kind = cut.FindComponents<MudBlazor.MudSelect<Fleet.Web.Components.Controls.AccountKind>>()[0];
        cut.InvokeAsync(() => kind.Instance.ValueChanged.InvokeAsync(Fleet.Web.Components.Controls.AccountKind.System));
        cut.WaitForAssertion(() => Assert.Equal(["root", "www-data"], Users(cut)));
        cut.InvokeAsync(() => kind.Instance.ValueChanged.InvokeAsync(Fleet.Web.Components.Controls.AccountKind.People));
        cut.WaitForAssertion(() => Assert.Equal(["alice"], Users(cut)));
    }

    [Fact]
    public void UsersTab_SortsByUid()
    {
        RenderProviders();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));
        OpenTab(cut, "Users");
        cut.WaitForAssertion(() => Assert.Equal(3, Users(cut).Count));

        cut.FindAll("#users-table .mud-table-sort-label").Single(l => l.TextContent.Trim() == "UID").Click();

        cut.WaitForAssertion(() => Assert.Equal(["root", "www-data", "alice"], Users(cut)));
    }

    private static List<string?> Users(IRenderedComponent<HostDetails> cut) =>
        cut.FindAll("#users-table [data-user]").Select(e => e.GetAttribute("data-user")).ToList();

    [Fact]
    public void StorageTab_ShowsUsagePerMountPoint()
    {
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        OpenTab(cut, "Storage");

        cut.WaitForAssertion(() => Assert.Equal("80%", UsageOf(cut, "/").TextContent.Trim()));
        Assert.Equal("95", UsageOf(cut, "/data").GetAttribute("data-usage"));
    }

    [Fact]
    public void NetworkTab_NeverReported_ShowsEmptyState()
    {
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        OpenTab(cut, "Network");

        cut.WaitForAssertion(() => Assert.Contains("No network data yet — the agent has not reported it",
            cut.Find("[data-empty-state]").TextContent));
    }

    [Fact]
    public void GroupsTab_ShowsMembersAsChips()
    {
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        OpenTab(cut, "Groups");

        cut.WaitForAssertion(() => Assert.Equal(["alice", "bob"],
            cut.FindAll("#groups-table .mud-chip").Select(c => c.TextContent.Trim())));
    }

    [Fact]
    public void SoftwareTab_PagesOnTheServerAndFiltersBySearch()
    {
        RenderProviders();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));
        OpenTab(cut, "Software");
        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("[data-package]").Count));

        cut.Find("#software-search").Input("lib");

        cut.WaitForAssertion(() => Assert.Equal(["libssl3", "libcurl4"],
            cut.FindAll("[data-package]").Select(e => e.GetAttribute("data-package"))));
        Assert.Equal("lib", Reader.SoftwareSearches[^1]);
    }

    [Fact]
    public void RefreshInventory_RequestsEverySectionForThisHost()
    {
        RenderProviders();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        cut.WaitForElement("#refresh-inventory").Click();

        cut.WaitForAssertion(() => Assert.Equal([_hostId], Assert.Single(Operations.InventoryRequests).HostIds));
        Assert.Equal(InventorySections.All, Operations.InventoryRequests[0].Sections);
        Assert.Contains("Refresh requested", SnackbarMessages);
    }

    [Fact]
    public void Viewer_HasNoRefreshButton()
    {
        SignInAs(Roles.Viewer);
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        cut.WaitForElement("#host-title");
        Assert.Empty(cut.FindAll("#refresh-inventory"));
    }

    [Fact]
    public void UnknownHost_ShowsNotFound()
    {
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, Guid.NewGuid()));

        cut.WaitForAssertion(() => Assert.Contains("not found", cut.Find("#host-not-found").TextContent));
        Assert.Equal("/", cut.Find("#host-not-found a").GetAttribute("href"));
    }

    [Fact]
    public void PublishedEventForThisHost_ReloadsTheHost()
    {
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));
        cut.WaitForAssertion(() => Assert.Equal("online", cut.Find(".status-chip").TextContent.Trim()));
        cut.WaitForAssertion(() => Assert.Equal(1, Events.SubscriberCount));

        Reader.Details[_hostId] = Reader.Details[_hostId] with { Status = "offline" };
        Events.Publish(new FleetEvent(FleetEventKind.HostOffline, _hostId, DateTimeOffset.UtcNow));

        cut.WaitForAssertion(() => Assert.Equal("offline", cut.Find(".status-chip").TextContent.Trim()), TimeSpan.FromSeconds(5));
    }

    private static readonly HostTrust Trusted = new(true, false, null, "10.0.0.7", "boot-old", null, null, null);

    private void WithTrust(HostTrust trust) => Reader.Details[_hostId] = Reader.Details[_hostId] with { Trust = trust };

    private static void Confirm(IRenderedComponent<MudBlazor.MudDialogProvider> dialogs, string yes) =>
        dialogs.WaitForElements("button").Single(b => b.TextContent.Trim().StartsWith(yes, StringComparison.Ordinal)).Click();

    [Fact]
    public void RevokeButton_Cancelled_NamedTheHost_AndRevokesNothing()
    {
        WithTrust(Trusted);
        var dialogs = RenderProviders();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));
        var hostname = cut.WaitForElement("#host-title").TextContent.Trim();

        cut.WaitForElement("#revoke-host").Click();
        NamesWhatItTouches_ThenCancel(dialogs, $"Revoke {hostname}?");

        Assert.Empty(Operations.Revoked);
        Assert.DoesNotContain(Audit.Entries, e => e.Action == "revoke host");
    }

    [Fact]
    public void RevokeButton_AfterConfirmation_RevokesThisHost()
    {
        WithTrust(Trusted);
        var dialogs = RenderProviders();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        cut.WaitForElement("#revoke-host").Click();
        Assert.Empty(Operations.Revoked);
        Confirm(dialogs, "Revoke");

        cut.WaitForAssertion(() => Assert.Equal([_hostId], Operations.Revoked));
        cut.WaitForAssertion(() => Assert.Contains(Audit.Entries, e => e.Action == "revoke host" && e.Outcome == Fleet.Web.Audit.AuditOutcomes.Success));
    }

    [Fact]
    public void RevokedHost_ShowsTheRevocationAndNoRevokeButton()
    {
        WithTrust(Trusted with { Revoked = true, RevokedAt = Reported });
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        cut.WaitForAssertion(() => Assert.Contains("revoked", cut.Find("#host-revoked").TextContent));
        Assert.Empty(cut.FindAll("#revoke-host"));
    }

    [Fact]
    public void ReenrolmentRequest_ShowsBothAgentsAndApprovesAfterConfirmation()
    {
        WithTrust(Trusted with
        {
            Reenrolment = new ReenrolmentView("web-01-clone", "10.9.9.9", "boot-new", "10.0.0.7", "boot-old", Reported, Reported, Approved: false),
        });
        var dialogs = RenderProviders();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        var table = cut.WaitForElement("#reenrolment-agents").TextContent;
        Assert.Contains("10.9.9.9", table);
        Assert.Contains("boot-new", table);
        Assert.Contains("10.0.0.7", table);
        Assert.Contains("boot-old", table);
        cut.Find("#approve-reenrolment").Click();
        Confirm(dialogs, "Approve");

        cut.WaitForAssertion(() => Assert.Equal([_hostId], Operations.ReenrolmentsApproved));
        Assert.Empty(Operations.ReenrolmentsRejected);
    }

    [Fact]
    public void ReenrolmentRequest_RejectNeedsNoConfirmation()
    {
        WithTrust(Trusted with { Reenrolment = new ReenrolmentView("x", null, null, null, null, Reported, Reported, Approved: false) });
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        cut.WaitForElement("#reject-reenrolment").Click();

        cut.WaitForAssertion(() => Assert.Equal([_hostId], Operations.ReenrolmentsRejected));
    }

    [Fact]
    public void Viewer_SeesTheRequestButCannotDecideOrRevoke()
    {
        SignInAs(Roles.Viewer);
        WithTrust(Trusted with
        {
            DuplicateSeenAt = Reported,
            DuplicateDetail = "Agents with boot ids a and b both hold this host's secret.",
            Reenrolment = new ReenrolmentView("x", "10.9.9.9", null, null, null, Reported, Reported, Approved: false),
        });
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));

        cut.WaitForElement("#host-reenrolment");
        Assert.Contains("boot ids a and b", cut.Find("#host-duplicate").TextContent);
        Assert.Empty(cut.FindAll("#approve-reenrolment"));
        Assert.Empty(cut.FindAll("#revoke-host"));
    }

    private static void OpenTab(IRenderedComponent<HostDetails> cut, string text)
    {
        cut.WaitForElement("#host-title");
        cut.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == text).Click();
    }

    private static IElement UsageOf(IRenderedComponent<HostDetails> cut, string mountPoint) =>
        cut.FindAll("#storage-table tr")
            .Single(tr => tr.QuerySelector($"[data-mount='{mountPoint}']") is not null)
            .QuerySelector(".fleet-usage")!;
}
