using Bunit;
using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Security;
using Fleet.Tests.Components.Fakes;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Engine;
using Fleet.Web.Engine.AgentMaintenance;
using MudBlazor;

namespace Fleet.Tests.Components.Dialogs;

public sealed class AgentUpdateDialogTests : FleetPageTestContext
{
    private readonly HostRow _old1 = FakeFleetReader.Row("old-1", "online");
    private readonly HostRow _old2 = FakeFleetReader.Row("old-2", "online");
    private readonly List<string?> _queries = [];

    public AgentUpdateDialogTests()
    {
        AgentPackages.Packages.Add(FakeAgentPackages.Package("1.1.0", isDefault: true));
        AgentPackages.Packages.Add(FakeAgentPackages.Package("1.2.0-rc1", isDefault: false));
        Invocations.Preview = query =>
        {
            lock (_queries) _queries.Add(query);
            return query == "not agent_version = \"1.1.0\"" ? new TargetPreview(2, [_old1, _old2])
                : query == "hostname = many*" ? new TargetPreview(150, [.. Enumerable.Range(0, 100).Select(i => FakeFleetReader.Row($"many{i}", "online"))])
                : new TargetPreview(0, []);
        };
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, Task<DialogResult?> Result)> OpenAsync()
    {
        var provider = RenderProviders();
        var parameters = new DialogParameters<AgentUpdateDialog>
        {
            { d => d.Packages, await AgentPackages.ListAsync() },
            { d => d.DefaultVersion, "1.1.0" },
            { d => d.Caller, new MaintenanceCaller("olga", Roles.Operator, "user") },
        };
        var reference = await provider.InvokeAsync(() => Services.GetService<IDialogService>()!.ShowAsync<AgentUpdateDialog>("Update agents", parameters));
        return (provider, reference.Result);
    }

    [Fact]
    public async Task Confirmation_Cancelled_SaidHowManyHosts_AndUpdatesNothing()
    {
        var (provider, _) = await OpenAsync();

        provider.WaitForAssertion(() => Assert.Equal("2 hosts", provider.Find("#update-host-count").TextContent));
        provider.Find("#update-submit").Click();
        provider.WaitForElement("#confirm-message");
        var confirmation = provider.FindAll(".mud-dialog").Single(d => d.QuerySelector("#confirm-message") is not null);
        Assert.Contains("Update the agent on 2 hosts?", confirmation.TextContent);
        Assert.Contains("mud-button-filled-error", provider.Find("#confirm-yes").ClassName);
        provider.Find("#confirm-cancel").Click();

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("#confirm-message")));
        Assert.Empty(AgentMaintenance.Requests);
        // The update dialog itself stays open for another choice.
        Assert.Single(provider.FindAll("#update-submit"));
    }

    [Fact]
    public async Task OutOfDateHosts_ArePreselected_AndTheConfirmationSaysHowMany()
    {
        var (provider, result) = await OpenAsync();

        provider.WaitForAssertion(() => Assert.Equal("2 hosts", provider.Find("#update-host-count").TextContent));
        Assert.Contains("old-1, old-2", provider.Find("#update-hosts").TextContent);
        provider.Find("#update-waves").Input("1, rest");
        provider.Find("#update-threshold").Input("1");
        provider.Find("#update-submit").Click();
        provider.WaitForAssertion(() => Assert.Contains("The agent on 2 hosts restarts with the default version 1.1.0", provider.Markup));
        Assert.Empty(AgentMaintenance.Requests);
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "Update 2").Click();

        var closed = await result;
        Assert.False(closed!.Canceled);
        var (request, caller) = AgentMaintenance.Requests.Single();
        Assert.Equal(AgentInvocationType.Update, request.Type);
        Assert.Equal([_old1.Id.ToString("D"), _old2.Id.ToString("D")], request.InstanceIds);
        Assert.Equal("BASIC_VERSION", request.VersionType);
        Assert.Null(request.Version);
        Assert.Equal(("1, rest", "1"), (request.Waves, request.FailureThreshold));
        Assert.Equal("olga", caller.Name);
        Assert.Equal(2, Assert.IsAssignableFrom<IReadOnlyList<BatchCreateResult>>(closed.Data).Count);
    }

    [Fact]
    public async Task BadWaves_AreExplained_AndBlockTheUpdate()
    {
        var (provider, _) = await OpenAsync();
        provider.WaitForAssertion(() => Assert.Equal("2 hosts", provider.Find("#update-host-count").TextContent));

        provider.Find("#update-waves").Input("1, lots");

        provider.WaitForAssertion(() => Assert.True(provider.Find("#update-submit").HasAttribute("disabled")));
        Assert.Contains("lots", provider.Find("#update-waves").Closest(".mud-input-control")!.TextContent);
        Assert.Empty(AgentMaintenance.Requests);
    }

    [Fact]
    public async Task ASearchMatchingMoreThanOneBatch_IsRefusedWithTheReason()
    {
        var (provider, _) = await OpenAsync();
        provider.WaitForAssertion(() => Assert.Equal("2 hosts", provider.Find("#update-host-count").TextContent));

        provider.Find("input#update-by-query").Click();
        provider.WaitForElement("#update-query").Input("hostname = many*");

        provider.WaitForAssertion(() => Assert.Equal("150 hosts match; one update reaches at most 100. Narrow the search.", provider.Find("#update-host-count").TextContent));
        Assert.True(provider.Find("#update-submit").HasAttribute("disabled"));
    }
}
