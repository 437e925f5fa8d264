using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeHeadlessOperations : IHeadlessOperations
{
    public List<OperationDeviceRow> Rows { get; } = [];
    public int Reads { get; private set; }

    public Task<Paged<OperationDeviceRow>> ListAsync(OperationListQuery query, CancellationToken ct = default)
    {
        Reads++;
        return Task.FromResult(new Paged<OperationDeviceRow>(Rows.Skip(query.Offset).Take(query.Limit).ToList(), Rows.Count));
    }
}
