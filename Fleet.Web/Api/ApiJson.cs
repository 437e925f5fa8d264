using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Web.Api;

public static class ApiJson
{
    /// <summary>The Python-backed families (seeds 000, 001, 004) speak snake_case.</summary>
    public static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>ISO 8601 in UTC with a Z, as every seed shows its time stamps.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? at) => at is { } value ? Time(value) : null;

    /// <summary>
    /// Reads a body that may be absent (sent without Content-Length, chunked, counts as present): an empty
    /// body gives (null, null), a malformed one an error message.
    /// </summary>
    public static async Task<(T? Value, string? Error)> ReadOptionalBodyAsync<T>(HttpRequest request, JsonSerializerOptions options) where T : class
    {
        if (request.ContentLength == 0) return (null, null);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return (null, null);
        try
        {
            return (JsonSerializer.Deserialize<T>(buffer.ToArray(), options), null);
        }
        catch (JsonException error)
        {
            return (null, $"The request body is not valid JSON for this operation: {error.Message}");
        }
    }

    /// <summary>Reads a JSON body without letting a malformed one become an unhandled 400/500.</summary>
    public static async Task<(T? Value, string? Error)> ReadBodyAsync<T>(HttpRequest request, JsonSerializerOptions options) where T : class
    {
        if (request.ContentLength == 0) return (null, "A JSON request body is required.");
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return value is null ? (null, "A JSON request body is required.") : (value, null);
        }
        catch (JsonException error)
        {
            return (null, $"The request body is not valid JSON for this operation: {error.Message}");
        }
    }
}
