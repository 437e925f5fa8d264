using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeHeadlessOperations : IHeadlessOperations
{
    public List<OperationDeviceRow> Rows { get; } = [];
    public int Reads { get; private set; }
    public List<DeliveryRow> Deliveries { get; } = [];

    public Task<IReadOnlyList<DeliveryRow>> RecentDeliveriesAsync(int count, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<DeliveryRow>>(Deliveries.Take(count).ToList());

    public Task<Paged<OperationDeviceRow>> ListAsync(OperationListQuery query, CancellationToken ct = default)
    {
        Reads++;
        return Task.FromResult(new Paged<OperationDeviceRow>(Rows.Skip(query.Offset).Take(query.Limit).ToList(), Rows.Count));
    }
}
