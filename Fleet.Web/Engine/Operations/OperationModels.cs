using Fleet.Domain.Operations;

namespace Fleet.Web.Engine.Operations;

/// <summary>
/// A headless operation as a caller asks for it, already out of its wire format. <see cref="Problems"/> carries what the
/// façade found while reading (a value of the wrong JSON type), so the engine can report them with its own, all at once.
/// </summary>
public sealed record OperationRequest(
    string OperationType,
    IReadOnlyList<string> DeviceTargets,
    OperationSchedule Schedule,
    IReadOnlyDictionary<string, object?>? Parameters,
    NotificationSettings Notification,
    RetryPolicy RetryPolicy,
    IReadOnlyList<OperationProblem> Problems,
    string? ListUrl = null);

public sealed class OperationInvalidException(IReadOnlyList<OperationProblem> problems)
    : Exception(string.Join(" ", problems.Select(p => p.Message)))
{
    public IReadOnlyList<OperationProblem> Problems { get; } = problems;
}

/// <summary>What the engine made of a new operation.</summary>
public sealed record OperationCreated(
    long Id,
    string PublicId,
    OperationType Type,
    IReadOnlyList<string> DeviceTargets,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledFor,
    int EstimatedDurationMinutes,
    IReadOnlyDictionary<string, object?> Parameters,
    OperationSchedule Schedule,
    DateTimeOffset? NextExecution);

public sealed record DeviceDetails(string? SerialNumber, string? Model, string? Manufacturer, string? Location, DateTimeOffset LastSeen);

/// <summary>One device of one operation: seed 000 lists an operation once per device it targets.</summary>
/// <param name="Attempts">Runs of this device in the current occurrence (1 without retries).</param>
/// <param name="NextExecution">When the operation runs next; null once nothing follows.</param>
public sealed record OperationDeviceRow(
    long OperationId,
    string PublicId,
    string DeviceName,
    OperationType Type,
    DeviceStatus Status,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DeviceDetails Details,
    OperationOutput Output,
    int? ExitCode,
    string? Reason,
    int Attempts,
    Guid HostId,
    DateTimeOffset? NextExecution = null);

/// <param name="Type">Only operations of this type (the dashboard's filter).</param>
/// <param name="State">Only operations in this state.</param>
/// <param name="Device">Only devices whose name contains this.</param>
public sealed record OperationListQuery(long? Id, int Limit, int Offset, OperationType? Type = null, OperationState? State = null, string? Device = null);

/// <summary>One operation as its own page heads it: what it does, when, and what it promises (retries, notifications).</summary>
public sealed record OperationSummary(
    long Id,
    string PublicId,
    OperationType Type,
    OperationState State,
    OperationSchedule Schedule,
    DateTimeOffset? NextExecution,
    int Occurrences,
    DateTimeOffset? LastStartedAt,
    RetryPolicy RetryPolicy,
    NotificationSettings Notification,
    string Owner,
    DateTimeOffset CreatedAt,
    string ParametersJson);

/// <summary>Headless operations as the dashboard reads and creates them.</summary>
public interface IHeadlessOperations
{
    /// <summary>One row per device of each operation, newest operations last; <see cref="OperationListQuery.Id"/> keeps one operation's.</summary>
    Task<Paged<OperationDeviceRow>> ListAsync(OperationListQuery query, CancellationToken ct = default);

    /// <summary>The operation, or null when there is none with this id.</summary>
    Task<OperationSummary?> GetAsync(long operationId, CancellationToken ct = default);

    /// <summary>The latest notification attempts, newest first; of one operation when <paramref name="operationId"/> is given.</summary>
    Task<IReadOnlyList<DeliveryRow>> RecentDeliveriesAsync(int count, long? operationId = null, CancellationToken ct = default);

    /// <summary>Validates and stores a new operation and hands its timing to Hangfire; every problem at once in <see cref="OperationInvalidException"/>.</summary>
    Task<OperationCreated> CreateAsync(OperationRequest request, string owner, CancellationToken ct = default);
}

public sealed record DeliveryRow(string OperationId, int Occurrence, NotificationChannel Channel, string Target, int Attempt, bool Succeeded, int? StatusCode,
    string? Reply, DateTimeOffset At);
