using Bunit;
using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Security;
using Fleet.Tests.Components.Fakes;
using Fleet.Web.Components.Pages;
using MudBlazor;

namespace Fleet.Tests.Components.Controls;

/// <summary>The agent tasks table, rendered inside the Agents page that wires its roll back and retry.</summary>
public sealed class AgentInvocationsTableTests : FleetPageTestContext
{
    public AgentInvocationsTableTests()
    {
        AgentMaintenance.Invocations.Add(FakeAgentMaintenance.AgentTask("up-ok", AgentInvocationType.Update, AgentInvocationStatus.Succeeded, "web-1",
            before: "1.0.0", after: "1.1.0", job: 31, createdAt: DateTimeOffset.UtcNow.AddMinutes(-3)));
        AgentMaintenance.Invocations.Add(FakeAgentMaintenance.AgentTask("up-bad", AgentInvocationType.Update, AgentInvocationStatus.Failed, "db-1",
            before: "1.0.0", target: "1.1.0", error: "health check failed: the new agent did not connect", createdAt: DateTimeOffset.UtcNow.AddMinutes(-2)));
        AgentMaintenance.Invocations.Add(FakeAgentMaintenance.AgentTask("inst", AgentInvocationType.RemoteInstall, AgentInvocationStatus.Running, "lab-7",
            before: null, target: "1.1.0", instanceType: "remote", job: null, createdAt: DateTimeOffset.UtcNow.AddMinutes(-1)));
    }

    [Fact]
    public void Rows_ShowStatusVersionsErrorAndTheJob()
    {
        var cut = Render<Agents>();

        cut.WaitForAssertion(() => Assert.Equal(["inst", "up-bad", "up-ok"], cut.FindAll("[data-invocation]").Select(c => c.GetAttribute("data-invocation"))));
        Assert.Equal(["RUNNING", "FAILED", "SUCCEEDED"], cut.FindAll("[data-invocation-status]").Select(c => c.TextContent.Trim()));
        Assert.Equal("1.0.0 → 1.1.0", cut.Find("[data-versions='up-ok']").TextContent);
        Assert.Equal("1.0.0 → 1.1.0?", cut.Find("[data-versions='up-bad']").TextContent);
        Assert.Equal("none → 1.1.0?", cut.Find("[data-versions='inst']").TextContent);
        Assert.Contains("the new agent did not connect", cut.Find("[data-invocation-error='up-bad']").TextContent);
        Assert.Equal("/jobs/31/progress", cut.Find("[data-invocation-status='up-ok']").Closest("a")!.GetAttribute("href"));
        Assert.Null(cut.Find("[data-invocation-status='inst']").Closest("a"));
        Assert.Equal(["up-ok"], cut.FindAll("[data-rollback]").Select(b => b.GetAttribute("data-rollback")));
        Assert.Equal(["up-bad"], cut.FindAll("[data-retry]").Select(b => b.GetAttribute("data-retry")));
    }

    [Fact]
    public async Task StatusFilter_AsksTheEngineForThatStatus()
    {
        var cut = Render<Agents>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-invocation]").Count));

        // Choosing from MudSelect's popover is MudBlazor's behaviour; what the page owns is what a chosen status does.
        var filter = cut.FindComponents<MudSelect<AgentInvocationStatus?>>().Single();
        await cut.InvokeAsync(() => filter.Instance.ValueChanged.InvokeAsync(AgentInvocationStatus.Failed));

        cut.WaitForAssertion(() => Assert.Equal(["up-bad"], cut.FindAll("[data-invocation]").Select(c => c.GetAttribute("data-invocation"))));
        Assert.Equal(AgentInvocationStatus.Failed, AgentMaintenance.Filters[^1].Status);
    }

    [Fact]
    public void RollBack_Cancelled_NamedTheHost_AndStartsNothing()
    {
        var dialogs = RenderProviders();
        var cut = Render<Agents>();

        cut.WaitForElement("[data-rollback='up-ok']").Click();
        NamesWhatItTouches_ThenCancel(dialogs, "Roll back the agent on web-1?", "Roll back 1 host");

        Assert.Empty(AgentMaintenance.Requests);
    }

    [Fact]
    public void RollBack_AfterConfirmation_AsksForARollbackOfThatTask()
    {
        var dialogs = RenderProviders();
        var cut = Render<Agents>();

        cut.WaitForElement("[data-rollback='up-ok']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("going back from 1.1.0 to 1.0.0", dialogs.Markup));
        Assert.Empty(AgentMaintenance.Requests);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Roll back 1 host").Click();

        cut.WaitForAssertion(() => Assert.Single(AgentMaintenance.Requests));
        var (request, caller) = AgentMaintenance.Requests[0];
        Assert.Equal(AgentInvocationType.Rollback, request.Type);
        Assert.Equal(["up-ok"], request.InvocationIds);
        Assert.Equal(("admin-user", Roles.Admin), (caller.Name, caller.Role));
        cut.WaitForAssertion(() => Assert.Contains("Roll back: 1 task started", SnackbarMessages));
    }

    [Fact]
    public void Retry_ARefusal_IsShownWithItsReason()
    {
        AgentMaintenance.Answer = request => [new(request.InvocationIds[0], null, false, "invocationmgr.0003", "the agent is offline")];
        var dialogs = RenderProviders();
        var cut = Render<Agents>();

        cut.WaitForElement("[data-retry='up-bad']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Run the UPDATE on db-1 again?", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Retry 1 host").Click();

        cut.WaitForAssertion(() => Assert.Contains("Retry: 0 started, 1 refused — the agent is offline", SnackbarMessages));
        Assert.Equal(AgentInvocationType.Retry, AgentMaintenance.Requests.Single().Request.Type);
    }
}
