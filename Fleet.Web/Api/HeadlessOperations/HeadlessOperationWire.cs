using System.Text.Json.Serialization;
using Fleet.Domain.Operations;
using Fleet.Web.Engine.Operations;

namespace Fleet.Web.Api.HeadlessOperations;

/// <summary>FastAPI's validation error item, as seed 001 (the same service) answers.</summary>
public sealed record Problem(IReadOnlyList<object> Loc, string Msg, string Type);

public sealed record ProblemList(IReadOnlyList<Problem> Detail);

public sealed record OperationListResponse(int Count, string? Next, string? Previous, IReadOnlyList<OperationResult> Results,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StatusRefresh? StatusUpdate = null);

/// <summary>What <c>update_status=true</c> did: which devices answered within the bound and which did not.</summary>
public sealed record StatusRefresh(IReadOnlyList<string> Refreshed, IReadOnlyList<string> NotAnswered);

/// <param name="CompletedAt">Only once the device is finished.</param>
/// <param name="OperationDetails">Only while the device runs.</param>
/// <param name="Result">Only once the device is finished.</param>
public sealed record OperationResult(
    string Id,
    string DeviceName,
    string OperationType,
    string Status,
    string? ScheduledAt,
    string? StartedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CompletedAt,
    int Progress,
    DeviceDetailsDto DeviceDetails,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OperationDetailsDto? OperationDetails,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Result);

public sealed record DeviceDetailsDto(string? SerialNumber, string? Model, string? Manufacturer, string? Location, string LastSeen);

public sealed record OperationDetailsDto(int TotalTasks, int CompletedTasks, string? CurrentTask);

public sealed record HealthResult(string Status, int ChecksPassed, int ChecksFailed, int Warnings, IReadOnlyList<CheckDto> Checks, int Attempts);

public sealed record CheckDto(string Name, string Status, string Detail);

/// <param name="Status">success, failure or cancelled.</param>
public sealed record RunResult(string Status, int? ExitCode, string? Message, int Attempts);

public sealed record OperationCreatedResponse(
    string Id,
    string Status,
    string OperationType,
    IReadOnlyList<string> DeviceTargets,
    string CreatedAt,
    string? ScheduledFor,
    int EstimatedDurationMinutes,
    IReadOnlyDictionary<string, object?> Parameters,
    ScheduleDto Schedule,
    NotificationDto Notification,
    RetryPolicyDto RetryPolicy,
    string MonitoringUrl);

public sealed record ScheduleDto(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ScheduledAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cron,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Timezone,
    string? NextExecution);

public sealed record NotificationDto(bool OnCompletion, bool OnFailure, string? Email, string? WebhookUrl);

public sealed record RetryPolicyDto(int MaxAttempts, int RetryDelayMinutes);

public static class HeadlessOperationWire
{
    public static OperationResult Result(OperationDeviceRow row) => new(
        row.PublicId, row.DeviceName, row.Type.WireName(), row.Status.Status, ApiJson.Time(row.ScheduledAt), ApiJson.Time(row.StartedAt),
        ApiJson.Time(row.CompletedAt), row.Status.Progress,
        new DeviceDetailsDto(row.Details.SerialNumber, row.Details.Model, row.Details.Manufacturer, row.Details.Location, ApiJson.Time(row.Details.LastSeen)),
        row.Status.Details is { } d ? new OperationDetailsDto(d.TotalTasks, d.CompletedTasks, d.CurrentTask) : null,
        row.Status.Finished ? Outcome(row) : null);

    private static object Outcome(OperationDeviceRow row)
    {
        if (row.Type == OperationType.HealthCheck && row.Output.Checks.Count > 0)
        {
            var output = row.Output;
            return new HealthResult(output.HealthStatus, output.Passed, output.Failed, output.Warnings,
                output.Checks.Select(c => new CheckDto(c.Name, c.Outcome.ToString().ToLowerInvariant(), c.Detail)).ToList(), row.Attempts);
        }
        return new RunResult(row.Status.Outcome, row.ExitCode, row.Reason, row.Attempts);
    }

    public static OperationCreatedResponse Created(OperationCreated created, NotificationSettings notification, RetryPolicy retry, string monitoringUrl) => new(
        created.PublicId, "scheduled", created.Type.WireName(), created.DeviceTargets, ApiJson.Time(created.CreatedAt), ApiJson.Time(created.ScheduledFor),
        created.EstimatedDurationMinutes, created.Parameters,
        new ScheduleDto(created.Schedule.WireType, ApiJson.Time(created.Schedule.ScheduledAt), created.Schedule.Cron,
            created.Schedule.Type == ScheduleType.Recurring ? created.Schedule.Zone : null, ApiJson.Time(created.NextExecution)),
        new NotificationDto(notification.OnCompletion, notification.OnFailure, notification.Email, notification.WebhookUrl),
        new RetryPolicyDto(retry.MaxAttempts, retry.RetryDelayMinutes),
        monitoringUrl);
}
