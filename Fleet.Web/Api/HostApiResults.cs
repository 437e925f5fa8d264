namespace Fleet.Web.Api;

/// <summary>The host-management family's (seed 001, FastAPI) answers: snake_case bodies, <c>{"detail"}</c> errors.</summary>
public static class HostApiResults
{
    public static IResult Ok(object body) => TypedResults.Json(body, ApiJson.SnakeCase);

    public static IResult NotFound(string message) => TypedResults.Json(ApiErrors.Detail(message), ApiJson.SnakeCase, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string message) => TypedResults.Json(ApiErrors.Detail(message), ApiJson.SnakeCase, statusCode: StatusCodes.Status409Conflict);

    /// <summary>FastAPI's validation error: 422 with <c>{"detail": [{"loc", "msg", "type"}]}</c>.</summary>
    public static IResult Invalid(string[] location, string message) =>
        TypedResults.Json(new { detail = new[] { new { loc = location, msg = message, type = "value_error" } } }, ApiJson.SnakeCase,
            statusCode: StatusCodes.Status422UnprocessableEntity);

    public static IResult InvalidHostId(string value) => Invalid(["path", "host_id"], $"'{value}' is not a valid UUID.");
}
