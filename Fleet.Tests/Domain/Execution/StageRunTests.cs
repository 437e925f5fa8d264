using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;

namespace Fleet.Tests.Domain.Execution;

/// <summary>Adding a target run to a stage run after it was planned (seed 004's POST .../targetruns).</summary>
public sealed class StageRunTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly Invocation _invocation = new(new InvocationSpec { Script = "true" }, "me", T0);
    private readonly StageRun _stage;

    public StageRunTests() => _stage = new StageRun(Guid.NewGuid(), _invocation.Id, 0, T0);

    private static ManagedHost Host(string name, bool approved = true)
    {
        var host = new ManagedHost(Guid.NewGuid(), $"machine-{name}", name, T0);
        if (approved) host.Approve(T0);
        return host;
    }

    [Fact]
    public void AddTargetRun_ApprovedHost_IsPendingAfterTheLastRunAndNamedAfterTheHost()
    {
        var host = Host("web-01");
        var run = _stage.AddTargetRun(Guid.NewGuid(), _invocation, host, new HashSet<Guid>(), lastPosition: 4, null, "alias", T0);
        Assert.Equal((TargetRunStatus.Pending, 5, "web-01", "alias"), (run.Status, run.Position, run.DeviceName, run.DeviceAlias));
        Assert.Equal((_stage.Id, host.Id, _invocation.Id), (run.StageRunId, run.HostId, run.InvocationId));
    }

    [Fact]
    public void AddTargetRun_FirstRunOfAnEmptyStage_TakesPositionZeroAndTheGivenName()
    {
        var run = _stage.AddTargetRun(Guid.NewGuid(), _invocation, Host("web-01"), new HashSet<Guid>(), lastPosition: null, "front door", null, T0);
        Assert.Equal((0, "front door"), (run.Position, run.DeviceName));
    }

    [Fact]
    public void AddTargetRun_HostNotApproved_Throws()
    {
        var error = Assert.Throws<DomainException>(() => _stage.AddTargetRun(Guid.NewGuid(), _invocation, Host("new", approved: false), new HashSet<Guid>(), null, null, null, T0));
        Assert.Contains("not an approved host", error.Message);
    }

    [Fact]
    public void AddTargetRun_HostAlreadyTargeted_Throws()
    {
        var host = Host("twice");
        var error = Assert.Throws<DomainException>(() => _stage.AddTargetRun(Guid.NewGuid(), _invocation, host, new HashSet<Guid> { host.Id }, 0, null, null, T0));
        Assert.Contains("already has a target run", error.Message);
    }

    [Fact]
    public void AddTargetRun_InvocationStopped_Throws()
    {
        _invocation.Stop(T0);
        var error = Assert.Throws<DomainException>(() => _stage.AddTargetRun(Guid.NewGuid(), _invocation, Host("late"), new HashSet<Guid>(), null, null, null, T0));
        Assert.Contains("finished", error.Message);
    }
}
