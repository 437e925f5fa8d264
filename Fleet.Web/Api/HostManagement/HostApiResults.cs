using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Web.Api.HostManagement;

/// <summary>FastAPI's error body: <c>{"detail": "..."}</c>.</summary>
public sealed record DetailError(string Detail);

/// <summary>One entry of FastAPI's validation error: where (<c>["body", "timeout"]</c>), what, and its kind.</summary>
public sealed record ValidationIssue(IReadOnlyList<string> Loc, string Msg, string Type);

/// <summary>FastAPI's validation error: 422 with <c>{"detail": [{"loc", "msg", "type"}]}</c>.</summary>
public sealed record ValidationError(IReadOnlyList<ValidationIssue> Detail);

/// <summary>The host-management family's (seed 001, FastAPI) answers: snake_case bodies, <c>{"detail"}</c> errors.</summary>
public static class HostApiResults
{
    public static JsonHttpResult<T> Ok<T>(T body) => TypedResults.Json(body, ApiJson.SnakeCase);

    public static JsonHttpResult<DetailError> Error(int status, string message) => TypedResults.Json(new DetailError(message), ApiJson.SnakeCase, statusCode: status);

    public static JsonHttpResult<DetailError> NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    public static JsonHttpResult<DetailError> Conflict(string message) => Error(StatusCodes.Status409Conflict, message);

    public static JsonHttpResult<ValidationError> Invalid(string[] location, string message) =>
        TypedResults.Json(new ValidationError([new ValidationIssue(location, message, "value_error")]), ApiJson.SnakeCase,
            statusCode: StatusCodes.Status422UnprocessableEntity);

    public static JsonHttpResult<ValidationError> InvalidHostId(string value) => Invalid(["path", "host_id"], $"'{value}' is not a valid UUID.");
}
