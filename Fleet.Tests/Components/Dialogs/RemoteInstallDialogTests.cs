using Bunit;
using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Security;
using Fleet.Tests.Components.Fakes;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Engine;
using Fleet.Web.Engine.AgentMaintenance;
using MudBlazor;

namespace Fleet.Tests.Components.Dialogs;

public sealed class RemoteInstallDialogTests : FleetPageTestContext
{
    private const string Password = "s3cret-ssh-pass";
    private readonly HostRow _installer = FakeFleetReader.Row("bastion", "online");

    public RemoteInstallDialogTests()
    {
        Reader.Hosts.Add(_installer);
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync()
    {
        var provider = RenderProviders();
        var parameters = new DialogParameters<RemoteInstallDialog> { { d => d.Caller, new MaintenanceCaller("ada", Roles.Admin, "user") } };
        await provider.InvokeAsync(() => Services.GetService<IDialogService>()!.ShowAsync<RemoteInstallDialog>("Install agents over SSH", parameters));
        provider.WaitForElement("#remote-install-start");
        return provider;
    }

    [Fact]
    public async Task Install_WithoutAddressOrPassword_SaysWhatIsMissing()
    {
        var provider = await OpenAsync();

        provider.Find("#remote-install-start").Click();
        provider.WaitForAssertion(() => Assert.Equal("Enter the machine's IPv4 address.", provider.Find("#remote-error").TextContent));

        provider.Find("#remote-address-0").Input("10.0.0.300");
        provider.Find("#remote-install-start").Click();
        provider.WaitForAssertion(() => Assert.Equal("An IPv4 address like 192.0.2.10.", provider.Find("#remote-error").TextContent));

        provider.Find("#remote-address-0").Input("10.0.0.30");
        provider.Find("#remote-install-start").Click();
        provider.WaitForAssertion(() => Assert.Equal("Enter the password.", provider.Find("#remote-error").TextContent));

        provider.Find("input#remote-use-key").Click();
        provider.WaitForElement("textarea#remote-secret").Input("not a key");
        provider.Find("#remote-install-start").Click();
        provider.WaitForAssertion(() => Assert.StartsWith("This does not look like a PEM private key", provider.Find("#remote-error").TextContent));
        Assert.Empty(AgentMaintenance.Requests);
    }

    [Fact]
    public async Task Install_DesignatesTheInstaller_SendsThePasswordOnce_AndFollowsTheTaskUntilTheHostIsOnline()
    {
        var defaultAnswer = AgentMaintenance.Answer;
        AgentMaintenance.Answer = request => request.Type == AgentInvocationType.RemoteInstall ? [new("m-1", "ri-1", true, null, null)] : defaultAnswer(request);
        AgentMaintenance.Invocations.Add(FakeAgentMaintenance.AgentTask("ri-1", AgentInvocationType.RemoteInstall, AgentInvocationStatus.Running, "lab-7",
            before: null, instanceType: "remote", job: 55));
        var provider = await OpenAsync();
        Assert.Equal("password", provider.Find("#remote-secret").GetAttribute("type"));
        provider.Find("#remote-name-0").Input("lab-7");
        provider.Find("#remote-address-0").Input("192.0.2.7");
        provider.Find("#remote-user-0").Input("deploy");
        provider.Find("#remote-secret").Input(Password);

        provider.Find("#remote-install-start").Click();

        provider.WaitForAssertion(() => Assert.Equal(2, AgentMaintenance.Requests.Count));
        var designation = AgentMaintenance.Requests[0].Request;
        Assert.Equal((AgentInvocationType.SetRemoteInstallHost, _installer.Id.ToString("D")), (designation.Type, designation.InstanceIds.Single()));
        var install = AgentMaintenance.Requests[1].Request;
        Assert.Equal(AgentInvocationType.RemoteInstall, install.Type);
        var machine = install.RemoteInstallMeta.Single();
        Assert.Equal(("lab-7", "192.0.2.7", "deploy", 22, Password, false), (machine.InstanceName, machine.RemoteIp, machine.UserName, machine.Port, machine.Password, machine.UsePem));
        provider.WaitForAssertion(() => Assert.Equal("RUNNING", provider.Find("[data-remote-status='lab-7']").TextContent.Trim()));
        Assert.Equal("/jobs/55/progress", provider.Find("[data-remote-status='lab-7']").Closest("a")!.GetAttribute("href"));
        Assert.Contains("0 of 1 finished", provider.Find("#remote-summary").TextContent);
        Assert.DoesNotContain(Password, provider.Markup);

        var newHost = Guid.NewGuid();
        AgentMaintenance.Invocations[0] = AgentMaintenance.Invocations[0] with { Status = AgentInvocationStatus.Succeeded, EnrolledHostId = newHost, VersionAfter = "1.1.0" };
        Events.Publish(new FleetEvent(FleetEventKind.HostOnline, newHost, DateTimeOffset.UtcNow));

        provider.WaitForAssertion(() => Assert.Equal("SUCCEEDED", provider.Find("[data-remote-status='lab-7']").TextContent.Trim()));
        Assert.Equal($"/hosts/{newHost}", provider.Find("[data-remote-host='lab-7']").GetAttribute("href"));
        Assert.Equal("online", provider.Find("[data-remote-host='lab-7']").TextContent);
        Assert.Equal("Done: 1 of 1 installed and online.", provider.Find("#remote-summary").TextContent);
        Assert.Equal("Close", provider.Find("#remote-close").TextContent.Trim());
    }

    [Fact]
    public async Task ARefusedMachine_ShowsWhy()
    {
        var defaultAnswer = AgentMaintenance.Answer;
        AgentMaintenance.Answer = request => request.Type == AgentInvocationType.RemoteInstall
            ? [new("remote-1", null, false, "invocationmgr.0010", "no agent package is stored")] : defaultAnswer(request);
        var provider = await OpenAsync();
        provider.Find("#remote-address-0").Input("192.0.2.8");
        provider.Find("#remote-secret").Input(Password);

        provider.Find("#remote-install-start").Click();

        provider.WaitForAssertion(() => Assert.Equal("REFUSED", provider.Find("[data-remote-status='192.0.2.8']").TextContent.Trim()));
        Assert.Equal("no agent package is stored", provider.Find("[data-remote-error='192.0.2.8']").TextContent);
        Assert.Equal("Done: 0 of 1 installed and online, 1 failed.", provider.Find("#remote-summary").TextContent);
    }
}
