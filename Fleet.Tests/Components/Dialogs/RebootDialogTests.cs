using Bunit;
using Fleet.Domain.Hosts;
using Fleet.Domain.Inventory;
using Fleet.Domain.Orchestration;
using Fleet.Web.Engine;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine.Orchestration;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Tests.Components.Dialogs;

public sealed class RebootDialogTests : FleetPageTestContext
{
    private readonly Guid _hostId = Guid.NewGuid();

    private static ChildHostView Child(string name, string status) => new(Guid.NewGuid(), name, "lxd", status, DateTimeOffset.UtcNow);

    private void GivenChildren(LicenseTier tier, string? blocked = null)
    {
        IReadOnlyList<ChildHostView> all = [Child("web-1", "running"), Child("db-1", "running"), Child("old-1", "stopped")];
        Orchestrations.PreChecks[_hostId] = new RebootPreCheck(_hostId, "parent-01", true, all, all.Where(c => c.Status == "running").ToList(), true, tier, blocked);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, Task<DialogResult?> Result)> OpenAsync()
    {
        var provider = RenderProviders();
        var parameters = new DialogParameters<RebootDialog> { { d => d.HostId, _hostId }, { d => d.User, "alice" } };
        var reference = await provider.InvokeAsync(() => Services.GetService<IDialogService>()!.ShowAsync<RebootDialog>("Reboot", parameters));
        return (provider, reference.Result);
    }

    [Fact]
    public async Task Dialog_ShowsTheRunningChildren_AndStartsAnOrchestratedReboot()
    {
        GivenChildren(LicenseTier.Professional);
        var (provider, result) = await OpenAsync();
        provider.WaitForAssertion(() => Assert.Equal(2, provider.FindAll("#precheck-children tr[data-child]").Count));
        Assert.Contains("2 running of 3 child hosts", provider.Find("#precheck-running-count").TextContent);
        Assert.Contains("Container engine present", provider.Find("#precheck-engine").TextContent);
        Assert.Contains("stops these 2 running child hosts", provider.Find("#precheck-warning").TextContent);
        Assert.Equal(["web-1", "db-1"], provider.FindAll("#precheck-children tr[data-child]").Select(r => r.GetAttribute("data-child")));
        Assert.Empty(provider.FindAll("#precheck-fleet-server"));
        Assert.True(provider.Find("#reboot-confirm").HasAttribute("disabled"), "nothing is chosen for the operator");
        Assert.False(provider.Find("input#mode-orchestrated").HasAttribute("checked"));

        provider.Find("input#mode-orchestrated").Click();
        provider.WaitForAssertion(() => Assert.False(provider.Find("#reboot-confirm").HasAttribute("disabled")));
        Assert.Contains("Start orchestrated reboot", provider.Find("#reboot-confirm").TextContent);
        await provider.Find("#reboot-confirm").ClickAsync(new());
        var closed = await result;
        Assert.Equal([(_hostId, "alice")], Orchestrations.Started);
        Assert.NotNull(Assert.IsType<RebootDialogResult>(closed!.Data).OrchestrationId);
    }

    [Fact]
    public async Task Dialog_UnknownHost_SaysSoInsteadOfLoadingForever()
    {
        Orchestrations.Missing.Add(_hostId);
        var (provider, _) = await OpenAsync();
        provider.WaitForAssertion(() => Assert.Contains(_hostId.ToString(), provider.Find("#reboot-error").TextContent));
        Assert.Empty(provider.FindAll(".mud-progress-linear"));
        Assert.True(provider.Find("#reboot-confirm").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Dialog_CommunityLicence_DisablesOrchestrated_WithTheReason_AndOffersAPlainReboot()
    {
        GivenChildren(LicenseTier.Community, "Orchestrated reboot needs a Professional or Enterprise licence; this installation is Community.");
        var (provider, result) = await OpenAsync();
        provider.WaitForAssertion(() => Assert.Contains("Professional", provider.Find("#orchestrated-unavailable").TextContent));
        Assert.True(provider.Find("input#mode-orchestrated").HasAttribute("disabled"));
        Assert.Empty(provider.FindAll("#plain-options"));

        provider.Find("input#mode-plain").Click();
        provider.WaitForAssertion(() => Assert.Single(provider.FindAll("#plain-options")));
        Assert.Equal("Reboot", provider.Find("#reboot-confirm").TextContent.Trim());
        provider.Find("input#plain-force").Change(true);
        provider.Find("input#plain-confirm-hostname").Input("parent-01");
        provider.WaitForAssertion(() => Assert.False(provider.Find("#reboot-confirm").HasAttribute("disabled")));
        await provider.Find("#reboot-confirm").ClickAsync(new());
        await result;
        Assert.Empty(Orchestrations.Started);
        Assert.Equal([(_hostId, new PowerOrder(PowerKind.Reboot, Force: true), "alice")], Power.Requests);
    }

    [Fact]
    public async Task Dialog_PlainReboot_StaysDisabledUntilTheHostnameIsTyped()
    {
        GivenChildren(LicenseTier.Professional);
        var (provider, _) = await OpenAsync();
        provider.WaitForAssertion(() => Assert.Single(provider.FindAll("input#mode-plain")));
        provider.Find("input#mode-plain").Click();
        provider.WaitForAssertion(() => Assert.Contains("Type parent-01 to confirm", provider.Find("#plain-options").TextContent));
        Assert.True(provider.Find("#reboot-confirm").HasAttribute("disabled"));

        provider.Find("input#plain-confirm-hostname").Input("parent-0");
        provider.WaitForAssertion(() => Assert.True(provider.Find("#reboot-confirm").HasAttribute("disabled")));
        await provider.Find("#reboot-confirm").ClickAsync(new());
        Assert.Empty(Power.Requests);

        provider.Find("input#plain-confirm-hostname").Input("parent-01");
        provider.WaitForAssertion(() => Assert.False(provider.Find("#reboot-confirm").HasAttribute("disabled")));
    }

    [Fact]
    public async Task Dialog_ForTheFleetServersOwnMachine_WarnsThatTheDashboardGoesDown()
    {
        GivenChildren(LicenseTier.Professional);
        Orchestrations.PreChecks[_hostId] = Orchestrations.PreChecks[_hostId] with { IsFleetServer = true };
        var (provider, _) = await OpenAsync();
        provider.WaitForAssertion(() => Assert.Contains("machine Fleet itself runs on", provider.Find("#precheck-fleet-server").TextContent));
    }

    [Fact]
    public void HostPage_ListsChildHosts_AndOperatorsGetTheRebootButton()
    {
        GivenChildren(LicenseTier.Professional);
        GivenHostPage();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));
        cut.WaitForAssertion(() => Assert.Contains("Reboot", cut.Find("#reboot-host").TextContent));
        Assert.Contains("Child hosts (3)", cut.Markup);
        Assert.Empty(cut.FindAll("#orchestration-in-progress"));
    }

    [Fact]
    public void HostPage_WithAnOrchestrationInProgress_LinksToIt()
    {
        GivenChildren(LicenseTier.Professional);
        var active = Guid.NewGuid();
        Orchestrations.PreChecks[_hostId] = Orchestrations.PreChecks[_hostId] with { ActiveOrchestrationId = active };
        GivenHostPage();
        var cut = Render<HostDetails>(p => p.Add(c => c.HostId, _hostId));
        cut.WaitForAssertion(() => Assert.Equal($"/hosts/{_hostId}/reboot/{active}", cut.Find("#orchestration-in-progress a").GetAttribute("href")));
    }

    private void GivenHostPage()
    {
        Reader.Details[_hostId] = new HostDetail(_hostId, "parent-01", "online", "linux", "Debian 12", "6.1.0", "1.2.0", 4, "cpu", 1L << 33,
            100, "10.0.0.9", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null);
        Reader.Inventories[_hostId] = new HostInventoryView(InventorySection<StorageDevice>.Empty, InventorySection<NetworkInterfaceInfo>.Empty,
            InventorySection<UserAccount>.Empty, InventorySection<UserGroup>.Empty, InventorySection<SoftwarePackage>.Empty);
    }
}
