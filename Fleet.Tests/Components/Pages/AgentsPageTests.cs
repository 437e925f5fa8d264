using Bunit;
using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Security;
using Fleet.Tests.Components.Fakes;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.AgentMaintenance;
using Microsoft.AspNetCore.Components.Forms;

namespace Fleet.Tests.Components.Pages;

public sealed class AgentsPageTests : FleetPageTestContext
{
    public AgentsPageTests()
    {
        Reader.Counts = new FleetCounts(Total: 6, Online: 5, Offline: 1, PendingApproval: 0, WithErrors: 0, DateTimeOffset.UtcNow);
        AgentMaintenance.Summary = new AgentVersionSummary([new AgentVersionCount("1.0.0", 4), new AgentVersionCount("1.10.0", 2)], "1.10.0", 4);
        AgentPackages.Packages.Add(FakeAgentPackages.Package("1.10.0", isDefault: true));
        AgentPackages.Packages.Add(FakeAgentPackages.Package("1.9.2", isDefault: false, sha256: "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"));
    }

    [Fact]
    public void Counters_AndVersions_ComeFromTheHostsAndTheDefaultPackage()
    {
        var cut = Render<Agents>();

        cut.WaitForAssertion(() => Assert.Equal("6", cut.Find("#count-agents").TextContent));
        Assert.Equal("2", cut.Find("#count-versions").TextContent);
        Assert.Equal("4", cut.Find("#count-out-of-date").TextContent);
        Assert.Equal("1", cut.Find("#count-offline").TextContent);
        // Newest first, as people read versions (1.10.0 after 1.9), not as text sorts them.
        Assert.Equal(["1.10.0", "1.0.0"], cut.FindAll("#version-table tr[data-version]").Select(r => r.GetAttribute("data-version")));
        Assert.Equal(["2", "4"], cut.FindAll("#version-table [data-hosts]").Select(c => c.TextContent));
        Assert.Equal(["1.0.0"], cut.FindAll("[data-out-of-date]").Select(c => c.GetAttribute("data-out-of-date")));
        Assert.Contains("1.0.0", cut.Find("#version-chart svg").TextContent);
    }

    [Fact]
    public void NoDefaultPackage_ShowsNoOutOfDateCount()
    {
        AgentMaintenance.Summary = new AgentVersionSummary([new AgentVersionCount("1.0.0", 6)], null, 0);

        var cut = Render<Agents>();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("#count-versions").TextContent));
        Assert.Equal("–", cut.Find("#count-out-of-date").TextContent);
        Assert.Empty(cut.FindAll("[data-out-of-date]"));
    }

    [Fact]
    public void AVersion_ListsItsHosts_FromTheHostSearch()
    {
        string? asked = null;
        var host = FakeFleetReader.Row("old-1", "online");
        Invocations.Preview = query => { asked = query; return new TargetPreview(1, [host]); };
        var cut = Render<Agents>();

        cut.WaitForElement("[data-show-hosts='1.0.0']").Click();

        cut.WaitForAssertion(() => Assert.Equal($"/hosts/{host.Id}", cut.Find("[data-hosts-of='1.0.0'] [data-version-host='old-1']").GetAttribute("href")));
        Assert.Equal("agent_version = \"1.0.0\"", asked);
    }

    [Fact]
    public void HostComingOnline_RefreshesTheCountersLive()
    {
        var cut = Render<Agents>();
        cut.WaitForAssertion(() => Assert.Equal("4", cut.Find("#count-out-of-date").TextContent));

        AgentMaintenance.Summary = new AgentVersionSummary([new AgentVersionCount("1.0.0", 3), new AgentVersionCount("1.10.0", 3)], "1.10.0", 3);
        Events.Publish(new FleetEvent(FleetEventKind.HostOnline, Guid.NewGuid(), DateTimeOffset.UtcNow));

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("#count-out-of-date").TextContent));
        Assert.Equal(["3", "3"], cut.FindAll("#version-table [data-hosts]").Select(c => c.TextContent));
    }

    [Fact]
    public void Packages_ShowVersionShortHashSizeAndDefault()
    {
        var cut = Render<Agents>();

        cut.WaitForAssertion(() => Assert.Equal(["1.10.0", "1.9.2"], cut.FindAll("#package-table tr[data-package]").Select(r => r.GetAttribute("data-package"))));
        var older = cut.Find("tr[data-package='1.9.2']");
        Assert.Equal("fedcba987654…", older.QuerySelector("[data-sha256]")!.TextContent);
        Assert.Equal("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", older.QuerySelector("[data-sha256]")!.GetAttribute("title"));
        Assert.Contains("12 MB", older.TextContent);
        Assert.Equal(["1.10.0"], cut.FindAll("[data-default-chip]").Select(c => c.GetAttribute("data-default-chip")));
        Assert.Equal(["1.9.2"], cut.FindAll("[data-make-default]").Select(b => b.GetAttribute("data-make-default")));
    }

    [Fact]
    public void NoPackages_SaysHowToAddOne()
    {
        AgentPackages.Packages.Clear();

        var cut = Render<Agents>();

        cut.WaitForAssertion(() => Assert.Contains("Upload the agent executable", cut.Find("#agent-packages [data-empty-state]").TextContent));
    }

    [Fact]
    public void MakeDefault_AfterConfirmation_SetsTheDefault()
    {
        var dialogs = RenderProviders();
        var cut = Render<Agents>();

        cut.WaitForElement("[data-make-default='1.9.2']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Make 1.9.2 the default agent package?", dialogs.Markup));
        Assert.Empty(AgentPackages.DefaultsSet);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Make default").Click();

        cut.WaitForAssertion(() => Assert.Equal(["1.9.2"], AgentPackages.DefaultsSet));
        cut.WaitForAssertion(() => Assert.Equal(["1.9.2"], cut.FindAll("[data-default-chip]").Select(c => c.GetAttribute("data-default-chip"))));
    }

    [Theory]
    [InlineData(Roles.Viewer, false, false)]
    [InlineData(Roles.Operator, true, false)]
    [InlineData(Roles.Admin, true, true)]
    public void Actions_FollowTheRole(string role, bool operates, bool administers)
    {
        SignInAs(role);
        AgentMaintenance.Invocations.Add(FakeAgentMaintenance.AgentTask("t-1", AgentInvocationType.Update, AgentInvocationStatus.Succeeded, "web-1", after: "1.10.0"));

        var cut = Render<Agents>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-invocation-status='t-1']")));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#package-table tr[data-package]").Count));
        Assert.Equal(operates, cut.FindAll("#update-agents").Count == 1);
        Assert.Equal(operates, cut.FindAll("[data-rollback='t-1']").Count == 1);
        Assert.Equal(administers, cut.FindAll("#remote-install").Count == 1);
        Assert.Equal(administers, cut.FindAll("#upload-package").Count == 1);
        Assert.Equal(administers, cut.FindAll("[data-make-default]").Count == 1);
    }

    [Fact]
    public void Upload_ExplainsWhatIsMissing_ThenStoresTheFile()
    {
        var dialogs = RenderProviders();
        var cut = Render<Agents>();
        cut.WaitForElement("#upload-package").Click();
        dialogs.WaitForElement("#package-upload").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("Enter the package's version.", dialogs.Find("#package-error").TextContent));

        dialogs.Find("#package-version").Input("1.11/evil");
        dialogs.Find("#package-upload").Click();
        dialogs.WaitForAssertion(() => Assert.StartsWith("A version is 1 to 64 letters", dialogs.Find("#package-error").TextContent));

        dialogs.Find("#package-version").Input("1.11.0");
        dialogs.Find("#package-upload").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("Choose the agent executable to upload.", dialogs.Find("#package-error").TextContent));
        Assert.Empty(AgentPackages.Uploaded);

        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([1, 2, 3, 4, 5], "fleet-agent"));
        dialogs.WaitForAssertion(() => Assert.Contains("fleet-agent", dialogs.Find("#package-file").TextContent));
        dialogs.Find("#package-upload").Click();

        cut.WaitForAssertion(() => Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, AgentPackages.Uploaded["1.11.0"]));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("#package-table tr[data-package]").Count));
        Assert.Equal("admin-user", AgentPackages.Packages.Single(p => p.Version == "1.11.0").AddedBy);
    }

    [Fact]
    public void Upload_AnEmptyFile_IsRefusedBeforeSending()
    {
        var dialogs = RenderProviders();
        var cut = Render<Agents>();
        cut.WaitForElement("#upload-package").Click();
        dialogs.WaitForElement("#package-version").Input("2.0.0");

        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([], "empty"));

        dialogs.WaitForAssertion(() => Assert.Equal("The chosen file is empty.", dialogs.Find("#package-error").TextContent));
        dialogs.Find("#package-upload").Click();
        Assert.Empty(AgentPackages.Uploaded);
    }
}
