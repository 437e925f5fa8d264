using Bunit;
using Fleet.Web.Audit;
using Fleet.Web.Components.Pages;

namespace Fleet.Tests.Components.Pages;

public sealed class AuditTrailTests : FleetPageTestContext
{
    [Fact]
    public void ShowsRecords_AndSearchesOnTheServer()
    {
        AuditLog.Items.Add(new AuditItem(2, DateTimeOffset.UtcNow, "admin", "user", "dashboard", "disable user", "user erin", "10.0.0.5", "success", null));
        AuditLog.Items.Add(new AuditItem(1, DateTimeOffset.UtcNow, "ci", "token", "api", "POST /api/v1/host/{host_id}/approve", "host_id=x", "10.0.0.9", "error: HTTP 404", 404));
        var cut = Render<AuditTrail>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-audit-action]").Count));
        Assert.Contains("10.0.0.9", cut.Markup);
        Assert.Contains("error: HTTP 404", cut.Markup);

        cut.Find("#audit-search").Input("disable");

        cut.WaitForAssertion(() => Assert.Equal("disable", AuditLog.Searches[^1].Search));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-audit-action]")));
        Assert.Equal("disable user", cut.Find("[data-audit-action]").GetAttribute("data-audit-action"));
    }

    [Fact]
    public void AsksForOnePageAtATime()
    {
        for (var i = 0; i < 120; i++)
            AuditLog.Items.Add(new AuditItem(i, DateTimeOffset.UtcNow, "admin", "user", "dashboard", "run job", $"invocation {i}", "::1", "success", null));
        var cut = Render<AuditTrail>();

        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("[data-audit-action]").Count));
        Assert.Equal((50, 0), (AuditLog.Searches[^1].Limit, AuditLog.Searches[^1].Offset));
    }
}
