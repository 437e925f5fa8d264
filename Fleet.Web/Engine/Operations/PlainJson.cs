using System.Text.Json;

namespace Fleet.Web.Engine.Operations;

/// <summary>JSON values as the plain .NET values the domain validates: bool, long, double, string, lists and dictionaries.</summary>
public static class PlainJson
{
    public static object? From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.TryGetDouble(out var real) && double.IsFinite(real) ? real : double.NaN,
        JsonValueKind.Array => element.EnumerateArray().Select(From).ToList(),
        JsonValueKind.Object => Object(element),
        _ => null,
    };

    public static IReadOnlyDictionary<string, object?> Object(JsonElement element)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject()) values[property.Name] = From(property.Value);
        return values;
    }

    public static string Serialize(IReadOnlyDictionary<string, object?> values) => JsonSerializer.Serialize(values);

    public static IReadOnlyDictionary<string, object?> Deserialize(string json) => Object(JsonDocument.Parse(json).RootElement);
}
