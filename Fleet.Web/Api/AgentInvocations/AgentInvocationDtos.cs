using System.Text.Json.Serialization;
using Fleet.Domain.AgentMaintenance;
using Fleet.Web.Engine.AgentMaintenance;

namespace Fleet.Web.Api.AgentInvocations;

/// <summary>Seed 003 Tables 7–10: every error of the family.</summary>
public sealed record TaskErrorBody(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("error_msg")] string ErrorMsg)
{
    public static TaskErrorBody From(TaskError error) => new(error.Code, error.Message);

    /// <summary>The family's error for a status answered outside its handlers (authentication, no route, body too large, a failure).</summary>
    public static TaskErrorBody ForStatus(int status, string message) => From(status switch
    {
        StatusCodes.Status400BadRequest => new TaskError(TaskErrors.MalformedBody.Code, message),
        StatusCodes.Status401Unauthorized => TaskErrors.Unauthorized,
        StatusCodes.Status403Forbidden => TaskErrors.Forbidden("Your role does not allow this operation."),
        StatusCodes.Status404NotFound => TaskErrors.NotFound(message),
        StatusCodes.Status405MethodNotAllowed => TaskErrors.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => new TaskError(TaskErrors.TooLarge.Code, message),
        StatusCodes.Status429TooManyRequests => TaskErrors.TooManyRequests,
        _ => TaskErrors.Internal,
    });
}

/// <summary>Seed 003 Table 5: the answer of batch-create.</summary>
public sealed record BatchCreateResponse([property: JsonPropertyName("invocations")] IReadOnlyList<BatchCreateInvocationInfo> Invocations);

/// <summary>Seed 003 Table 6; <c>error_code</c> and <c>error_msg</c> only on an error item (nulls are omitted).</summary>
public sealed record BatchCreateInvocationInfo(
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("invocation_id")] string? InvocationId,
    [property: JsonPropertyName("ret_status")] string RetStatus,
    [property: JsonPropertyName("error_code")] string? ErrorCode,
    [property: JsonPropertyName("error_msg")] string? ErrorMsg)
{
    public static BatchCreateInvocationInfo From(BatchCreateResult result) =>
        new(result.InstanceId, result.InvocationId, result.Succeeded ? "successful" : "error", result.ErrorCode, result.ErrorMessage);
}

/// <summary>Fleet's list of agent invocations (beyond the document).</summary>
public sealed record AgentInvocationList(
    [property: JsonPropertyName("invocations")] IReadOnlyList<AgentInvocationInfo> Invocations,
    [property: JsonPropertyName("count")] int Count);

/// <summary>One agent invocation; times are epoch milliseconds (UTC), as Cloud Eye's own APIs give them.</summary>
public sealed record AgentInvocationInfo(
    [property: JsonPropertyName("invocation_id")] string InvocationId,
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("instance_name")] string InstanceName,
    [property: JsonPropertyName("instance_type")] string InstanceType,
    [property: JsonPropertyName("invocation_type")] string InvocationType,
    [property: JsonPropertyName("invocation_status")] string InvocationStatus,
    [property: JsonPropertyName("invocation_target")] string InvocationTarget,
    [property: JsonPropertyName("current_version")] string? CurrentVersion,
    [property: JsonPropertyName("target_version")] string? TargetVersion,
    [property: JsonPropertyName("version_after")] string? VersionAfter,
    [property: JsonPropertyName("create_time")] long CreateTime,
    [property: JsonPropertyName("update_time")] long UpdateTime,
    [property: JsonPropertyName("start_time")] long? StartTime,
    [property: JsonPropertyName("end_time")] long? EndTime,
    [property: JsonPropertyName("error_code")] string? ErrorCode,
    [property: JsonPropertyName("error_msg")] string? ErrorMsg,
    [property: JsonPropertyName("retry_of")] string? RetryOf,
    [property: JsonPropertyName("rollback_of")] string? RollbackOf,
    [property: JsonPropertyName("job_invocation_id")] long? JobInvocationId,
    [property: JsonPropertyName("target_run_id")] Guid? TargetRunId,
    [property: JsonPropertyName("enrolled_host_id")] Guid? EnrolledHostId)
{
    public static AgentInvocationInfo From(AgentInvocationView v) => new(
        v.InvocationId, v.InstanceId, v.InstanceName, v.InstanceType, v.Type.Word(), v.Status.Word(), v.Target, v.VersionBefore, v.TargetVersion,
        v.VersionAfter, v.CreatedAt.ToUnixTimeMilliseconds(), v.UpdatedAt.ToUnixTimeMilliseconds(), v.StartedAt?.ToUnixTimeMilliseconds(),
        v.EndedAt?.ToUnixTimeMilliseconds(), v.ErrorCode, v.ErrorMessage, v.RetryOf, v.RollbackOf, v.EngineInvocationId, v.TargetRunId, v.EnrolledHostId);
}
