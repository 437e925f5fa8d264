using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Web.Api.JobInvocations;

/// <summary><c>{"error": {"message": ...}}</c>, Foreman's shape for a missing resource or a refused action.</summary>
public sealed record ForemanError(ForemanMessage Error);

public sealed record ForemanMessage(string Message);

/// <summary><c>{"error": "..."}</c>, the plain-string shape seed 002 shows for rerun.</summary>
public sealed record ForemanStringError(string Error);

/// <summary>Foreman's validation error: 422 with the messages per field and in full.</summary>
public sealed record ForemanInvalid(ForemanValidation Error);

public sealed record ForemanValidation(long? Id, IReadOnlyDictionary<string, List<string>> Errors, IReadOnlyList<string> FullMessages);

public sealed record ForemanSort(string? By, string? Order);

/// <summary>Foreman's list envelope.</summary>
public sealed record ForemanList<T>(int Total, int Subtotal, int Page, int PerPage, string? Search, ForemanSort Sort, IReadOnlyList<T> Results);

/// <summary>The Foreman family's answers (seed 002 and the templates/bookmarks it refers to): keys as written, Foreman's error shapes.</summary>
public static class ForemanResults
{
    /// <summary>Records in snake_case; dictionary keys (field names like <c>scheduling[start_at]</c>) exactly as given.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    public static JsonHttpResult<T> Ok<T>(T body, int status = StatusCodes.Status200OK) => TypedResults.Json(body, Json, statusCode: status);

    public static JsonHttpResult<ForemanError> Error(string message, int status) => TypedResults.Json(new ForemanError(new ForemanMessage(message)), Json, statusCode: status);

    public static JsonHttpResult<ForemanError> NotFound(string resource, string id) => Error($"Resource {resource} not found by id '{id}'", StatusCodes.Status404NotFound);

    public static JsonHttpResult<ForemanStringError> StringError(string message, int status) => TypedResults.Json(new ForemanStringError(message), Json, statusCode: status);

    public static JsonHttpResult<ForemanInvalid> Invalid(string field, string message) => Invalid(new Dictionary<string, List<string>> { [field] = [message] });

    public static JsonHttpResult<ForemanInvalid> Invalid(IReadOnlyDictionary<string, List<string>> errors) =>
        TypedResults.Json(new ForemanInvalid(new ForemanValidation(null, errors, errors.SelectMany(e => e.Value.Select(m => $"{e.Key} {m}")).ToList())),
            Json, statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>A domain rule's refusal on the wire field its <see cref="Fleet.Domain.DomainException.Field"/> maps to ("base" when none does).</summary>
    public static JsonHttpResult<ForemanInvalid> Invalid(Fleet.Domain.DomainException refused, IReadOnlyDictionary<string, string> wireFields) =>
        Invalid(refused.Field is { } field && wireFields.TryGetValue(field, out var wire) ? wire : "base", refused.Message);

    /// <summary>Reads Foreman's wrapped body (<c>{"job_invocation": {...}}</c>); a malformed one becomes the 422 to return.</summary>
    public static async Task<(JsonElement Body, JsonHttpResult<ForemanInvalid>? Error)> ReadWrappedAsync(HttpRequest request, string wrapper, CancellationToken ct)
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
