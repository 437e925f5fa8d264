using Fleet.Domain.Hosts;
using Fleet.Web.Engine.Orchestration;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakePowerService : IPowerService
{
    public List<(Guid HostId, PowerOrder Order, string User)> Requests { get; } = [];

    public Task<PowerRequested> RequestAsync(Guid hostId, PowerOrder order, string user, CancellationToken ct = default)
    {
        Requests.Add((hostId, order, user));
        return Task.FromResult(new PowerRequested(42, Guid.NewGuid(), DateTimeOffset.UtcNow.AddSeconds(order.DelaySeconds)));
    }
}
