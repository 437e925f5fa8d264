using Bunit;
using Fleet.Domain.Orchestration;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Orchestration;

namespace Fleet.Tests.Components.Pages;

public sealed class RebootTimelineTests : FleetPageTestContext
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-1);
    private readonly Guid _hostId = Guid.NewGuid();
    private readonly Guid _id = Guid.NewGuid();

    private OrchestrationView View(OrchestrationStatus status, string restart, DateTimeOffset? reconnected, DateTimeOffset? restarted, string? error = null) =>
        new(_id, _hostId, "parent-01", status,
            [new OrchestrationChildView(Guid.NewGuid(), "web-1", "lxd", "running", "stopped", restart, null)],
            120, "alice", T0, T0.AddSeconds(5), T0.AddSeconds(6), reconnected, restarted, error is null ? null : T0.AddSeconds(30), error, 7);

    [Fact]
    public void Timeline_UpdatesLive_WhenTheOrchestrationMovesOn()
    {
        Orchestrations.Views[_id] = View(OrchestrationStatus.WaitingForAgent, "pending", null, null);
        var cut = Render<RebootTimeline>(p => p.Add(c => c.HostId, _hostId).Add(c => c.OrchestrationId, _id));
        cut.WaitForAssertion(() => Assert.Equal("waiting_for_agent", cut.Find("#orchestration-status").GetAttribute("data-status")));
        Assert.Equal(3, cut.FindAll("#orchestration-timeline [data-done='true']").Count);
        Assert.Equal("pending", cut.Find("tr[data-child='web-1']").GetAttribute("data-restart"));

        Orchestrations.Views[_id] = View(OrchestrationStatus.Completed, "running", T0.AddSeconds(20), T0.AddSeconds(25));
        Events.Publish(new FleetEvent(FleetEventKind.OrchestrationChanged, _hostId, DateTimeOffset.UtcNow, OrchestrationId: _id));

        cut.WaitForAssertion(() => Assert.Equal("completed", cut.Find("#orchestration-status").GetAttribute("data-status")));
        Assert.Equal(5, cut.FindAll("#orchestration-timeline [data-done='true']").Count);
        Assert.Equal("running", cut.Find("tr[data-child='web-1']").GetAttribute("data-restart"));
    }

    [Fact]
    public void FailedOrchestration_ShowsItsErrorMessage()
    {
        Orchestrations.Views[_id] = View(OrchestrationStatus.Failed, "pending", null, null, "The agent did not reconnect.");
        var cut = Render<RebootTimeline>(p => p.Add(c => c.HostId, _hostId).Add(c => c.OrchestrationId, _id));
        cut.WaitForAssertion(() => Assert.Contains("did not reconnect", cut.Find("#orchestration-error").TextContent));
        Assert.Equal("true", cut.Find("[data-phase='failed']").GetAttribute("data-done"));
    }

    [Fact]
    public void UnknownOrchestration_SaysSo_WithALinkBackToTheHost()
    {
        var page = Render<RebootTimeline>(p => p.Add(c => c.HostId, _hostId).Add(c => c.OrchestrationId, Guid.NewGuid()));
        Assert.Contains("was not found", page.Find("#orchestration-not-found").TextContent);
        Assert.Equal($"/hosts/{_hostId}", page.Find("#orchestration-not-found a").GetAttribute("href"));
    }
}
