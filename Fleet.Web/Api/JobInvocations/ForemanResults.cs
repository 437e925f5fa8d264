using System.Text.Json;

namespace Fleet.Web.Api.JobInvocations;

/// <summary>The Foreman family's answers (seed 002 and the templates/bookmarks it refers to): keys as written, Foreman's error shapes.</summary>
public static class ForemanResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null };

    public static IResult Ok(object body, int status = StatusCodes.Status200OK) => TypedResults.Json(body, Json, statusCode: status);

    public static IResult NotFound(string resource, string id) =>
        TypedResults.Json(new { error = new { message = $"Resource {resource} not found by id '{id}'" } }, Json, statusCode: StatusCodes.Status404NotFound);

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, List<string>> { [field] = [message] });

    public static IResult Invalid(IReadOnlyDictionary<string, List<string>> errors) =>
        TypedResults.Json(JobInvocationWire.Invalid(errors), Json, statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>Reads Foreman's wrapped body (<c>{"job_invocation": {...}}</c>); a malformed one becomes the 422 to return.</summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadWrappedAsync(HttpRequest request, string wrapper, CancellationToken ct)
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: ct);
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object)
                return (body, null);
            return (body, Invalid(wrapper, $"is missing; send {{\"{wrapper}\": {{...}}}}"));
        }
        catch (JsonException error)
        {
            return (default, Invalid(wrapper, $"the request body is not valid JSON: {error.Message}"));
        }
    }
}
