using Fleet.Domain.Operations;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeHeadlessOperations : IHeadlessOperations
{
    public List<OperationDeviceRow> Rows { get; } = [];
    public int Reads { get; private set; }
    public List<DeliveryRow> Deliveries { get; } = [];
    public List<OperationSummary> Summaries { get; } = [];
    public List<(OperationRequest Request, string Owner)> Created { get; } = [];
    public List<OperationListQuery> Queries { get; } = [];

    /// <summary>Set to make the next create fail as the engine does on invalid input.</summary>
    public IReadOnlyList<OperationProblem>? Refuse { get; set; }

    public Task<IReadOnlyList<DeliveryRow>> RecentDeliveriesAsync(int count, long? operationId = null, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<DeliveryRow>>(Deliveries.Where(d => operationId is null || d.OperationId == HeadlessOperation.IdPrefix + operationId)
            .Take(count).ToList());

    public Task<Paged<OperationDeviceRow>> ListAsync(OperationListQuery query, CancellationToken ct = default)
    {
        Reads++;
        Queries.Add(query);
        var rows = Rows.Where(r => (query.Id is null || r.OperationId == query.Id) && (query.Type is null || r.Type == query.Type)
            && (string.IsNullOrEmpty(query.Device) || r.DeviceName.Contains(query.Device, StringComparison.Ordinal))).ToList();
        return Task.FromResult(new Paged<OperationDeviceRow>(rows.Skip(query.Offset).Take(query.Limit).ToList(), rows.Count));
    }

    public Task<OperationSummary?> GetAsync(long operationId, CancellationToken ct = default) =>
        Task.FromResult(Summaries.FirstOrDefault(s => s.Id == operationId));

    public Task<OperationCreated> CreateAsync(OperationRequest request, string owner, CancellationToken ct = default)
    {
        if (Refuse is { } problems) throw new OperationInvalidException(problems);
        Created.Add((request, owner));
        var id = 100 + Created.Count;
        OperationTypes.TryParse(request.OperationType, out var type);
        return Task.FromResult(new OperationCreated(id, HeadlessOperation.IdPrefix + id, type, request.DeviceTargets, DateTimeOffset.UtcNow, null, 15,
            new Dictionary<string, object?>(), request.Schedule, null));
    }
}
