using Fleet.Agent;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine;

/// <summary>Rotating the enrolment token from Settings: the new token replaces the configured one, stored only as a hash.</summary>
public sealed class EnrollmentTokensTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:Agents:AutoApprove"] = "true" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RotatedToken_ReplacesTheConfiguredOneForNewAgentsOnly()
    {
        var enrolled = await _server.StartAcceptedAgentAsync("before-rotation");
        var tokens = _server.Get<EnrollmentTokens>();

        var rotated = await tokens.RotateAsync("admin");

        var old = _server.StartAgent("machine-old-token", "old-token", new FixedInventorySource("old-token"));
        await Assert.ThrowsAsync<AgentRefusedException>(() => old.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        var fresh = _server.StartAgent("machine-new-token", "new-token", new FixedInventorySource("new-token"), enrollmentToken: rotated);
        await Eventually.Until(() => fresh.Agent.IsAccepted, "the agent with the rotated token accepted");
        // Enrolled agents authenticate with their secrets, not the token.
        var acceptances = 0;
        enrolled.Agent.AcceptedChanged += accepted =>
        {
            if (accepted) Interlocked.Increment(ref acceptances);
        };
        await enrolled.Agent.SimulateRestartAsync();
        await Eventually.Until(() => Volatile.Read(ref acceptances) == 1, "the enrolled agent accepted again after a reconnect");

        var info = await tokens.DescribeAsync();
        Assert.True(info.Rotated);
        Assert.Equal("admin", info.RotatedBy);
        Assert.StartsWith(info.Prefix!, rotated);
        await using var db = _server.Db();
        Assert.DoesNotContain(await db.EnrollmentTokens.Select(t => t.Hash).ToListAsync(), hash => hash.Contains(rotated));
    }
}
