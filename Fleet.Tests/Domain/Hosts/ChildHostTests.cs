using Fleet.Domain;
using Fleet.Domain.Hosts;

namespace Fleet.Tests.Domain.Hosts;

public sealed class ChildHostTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void New_NormalisesTheStatus_AndNeedsANameAndType()
    {
        var child = new ChildHost(Guid.NewGuid(), Guid.NewGuid(), "web", "lxd", " Running ", T0);
        Assert.True(child.IsRunning);
        Assert.Equal("unknown", new ChildHost(Guid.NewGuid(), Guid.NewGuid(), "x", "docker", "", T0).Status);
        Assert.Throws<DomainException>(() => new ChildHost(Guid.NewGuid(), Guid.NewGuid(), " ", "lxd", "running", T0));
        Assert.Throws<DomainException>(() => new ChildHost(Guid.NewGuid(), Guid.NewGuid(), "web", "", "running", T0));
    }

    [Fact]
    public void Update_SaysWhetherAnythingChanged()
    {
        var child = new ChildHost(Guid.NewGuid(), Guid.NewGuid(), "web", "lxd", "running", T0);
        Assert.False(child.Update("lxd", "RUNNING", T0.AddMinutes(1)));
        Assert.Equal(T0, child.UpdatedAt);
        Assert.True(child.Update("lxd", "stopped", T0.AddMinutes(2)));
        Assert.Equal((ChildHost.Stopped, T0.AddMinutes(2)), (child.Status, child.UpdatedAt));
    }
}
