using System.Text.Json;

namespace Fleet.Tests.Api.Security;

/// <summary>
/// What each API family's error body must look like, written from the seed documents (not from Fleet's
/// code), so the limit, fuzz and no-500 tests judge every answer against the same rule.
/// </summary>
public static class ApiErrorShapes
{
    public enum Family { HostManagement, Foreman, StageRuns, AgentMaintenance }

    public static Family Of(string path) =>
        path.StartsWith("/v0", StringComparison.OrdinalIgnoreCase) ? Family.StageRuns :
        path.StartsWith("/v3", StringComparison.OrdinalIgnoreCase) ? Family.AgentMaintenance :
        path.StartsWith("/api/job_invocations", StringComparison.OrdinalIgnoreCase) ||
        path.StartsWith("/api/job_templates", StringComparison.OrdinalIgnoreCase) ||
        path.StartsWith("/api/bookmarks", StringComparison.OrdinalIgnoreCase) ? Family.Foreman : Family.HostManagement;

    /// <returns>Null when the body is the family's error shape, else what is wrong with it.</returns>
    public static string? Problem(string path, string body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return $"the error body is not JSON: '{Clip(body)}'";
        }
        if (root.ValueKind != JsonValueKind.Object) return $"the error body is not an object: {Clip(body)}";
        return Of(path) switch
        {
            // Seed 002: {"error": {"message": ...}}, {"error": "..."} or {"error": {"errors": {...}, "full_messages": [...]}}.
            Family.Foreman => root.TryGetProperty("error", out var error) &&
                              (error.ValueKind == JsonValueKind.String ||
                               error.ValueKind == JsonValueKind.Object && (error.TryGetProperty("message", out _) || error.TryGetProperty("errors", out _)))
                ? null
                : $"expected seed 002's {{\"error\": ...}}, got {Clip(body)}",
            // Seed 004: the {code, message, content} envelope.
            Family.StageRuns => root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number &&
                                root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String &&
                                root.TryGetProperty("content", out _)
                ? null
                : $"expected seed 004's {{code, message, content}}, got {Clip(body)}",
            // Seed 003 Tables 7–10: {"error_code": "taskmgr.NNNN", "error_msg": 1–256 characters}.
            Family.AgentMaintenance => root.TryGetProperty("error_code", out var errorCode) && errorCode.ValueKind == JsonValueKind.String &&
                                       System.Text.RegularExpressions.Regex.IsMatch(errorCode.GetString()!, @"^(taskmgr\.[0-9]{4})$") &&
                                       root.TryGetProperty("error_msg", out var errorMsg) && errorMsg.ValueKind == JsonValueKind.String &&
                                       errorMsg.GetString()!.Length is >= 1 and <= 256
                ? null
                : $"expected seed 003's {{error_code: taskmgr.NNNN, error_msg}}, got {Clip(body)}",
            // Seed 001 (FastAPI): {"detail": "..."} or {"detail": [{"loc", "msg", "type"}]}.
            _ => root.TryGetProperty("detail", out var detail) &&
                 (detail.ValueKind == JsonValueKind.String ||
                  detail.ValueKind == JsonValueKind.Array && detail.EnumerateArray().All(d =>
                      d.ValueKind == JsonValueKind.Object && d.TryGetProperty("loc", out _) && d.TryGetProperty("msg", out _) && d.TryGetProperty("type", out _)))
                ? null
                : $"expected seed 001's {{\"detail\": ...}}, got {Clip(body)}",
        };
    }

    public static void AssertShape(string path, string body)
    {
        var problem = Problem(path, body);
        Assert.True(problem is null, $"{path}: {problem}");
    }

    private static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
