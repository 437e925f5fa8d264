using System.Globalization;
using System.Text.Json;
using Fleet.Domain.Operations;
using Fleet.Domain.Security;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Fleet.Web.Api.HeadlessOperations;

/// <summary>
/// The headless device operations family (seed 000): list operations one row per device, and create them. Errors use the
/// FastAPI shape this family shares with seed 001 (same <c>/api/v1</c> service): <c>{"detail": [{"loc", "msg", "type"}]}</c>.
/// </summary>
public static class HeadlessOperationsApi
{
    public const string Path = "/api/v1/inventory_device_name_headless_operation/";
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapHeadlessOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Path).WithTags("Headless device operations");
        api.MapGet("", List).RequireAuthorization(Roles.Viewer).WithName("ListHeadlessOperations")
            .WithSummary("Scheduled headless operations, one result per device, optionally refreshed from the agents first");
        api.MapPost("", Create).RequireAuthorization(Roles.Operator).WithName("CreateHeadlessOperation")
            .WithSummary("Create a headless operation on inventory devices");
        return app;
    }

    private static JsonHttpResult<ProblemList> Problems(int status, IEnumerable<OperationProblem> problems, string type) =>
        TypedResults.Json(new ProblemList(problems.Select(p => new Problem(p.Location, p.Message, type)).ToList()), ApiJson.SnakeCase, statusCode: status);

    private static JsonHttpResult<ProblemList> InvalidQuery(string name, string message) =>
        Problems(StatusCodes.Status422UnprocessableEntity, [new OperationProblem(["query", name], message)], "value_error");

    public static async Task<Results<JsonHttpResult<OperationListResponse>, JsonHttpResult<ProblemList>>> List(
        HttpRequest request, HeadlessOperationService operations, OperationStatusRefresher refresher, CancellationToken ct)
    {
        var query = request.Query;
        long? id = null;
        if (query["id"].ToString() is { Length: > 0 } idText)
        {
            if (!HeadlessOperation.TryParseId(idText, out var parsed)) return InvalidQuery("id", $"id must look like {HeadlessOperation.IdPrefix}12345.");
            id = parsed;
        }
        if (!TryFlag(query["update_status"].ToString(), out var updateStatus)) return InvalidQuery("update_status", "update_status must be true or false.");
        if (!TryNumber(query["limit"].ToString(), DefaultLimit, 1, MaxLimit, out var limit)) return InvalidQuery("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        if (!TryNumber(query["offset"].ToString(), 0, 0, int.MaxValue, out var offset)) return InvalidQuery("offset", "offset must be a whole number, 0 or more.");

        var listQuery = new OperationListQuery(id, limit, offset);
        StatusRefresh? refreshed = null;
        if (updateStatus)
        {
            var outcome = await refresher.RefreshAsync(listQuery, ct);
            refreshed = new StatusRefresh(outcome.Answered, outcome.NotAnswered);
        }
        var page = await operations.ListAsync(listQuery, ct);
        var next = offset + limit < page.Total ? PageUrl(request, limit, offset + limit) : null;
        var previous = offset > 0 ? PageUrl(request, limit, Math.Max(0, offset - limit)) : null;
        return TypedResults.Json(new OperationListResponse(page.Total, next, previous, page.Items.Select(HeadlessOperationWire.Result).ToList(), refreshed),
            ApiJson.SnakeCase);
    }

    public static async Task<Results<JsonHttpResult<OperationCreatedResponse>, JsonHttpResult<ProblemList>>> Create(
        HttpRequest request, HeadlessOperationService operations, CancellationToken ct)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, ct);
            body = document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            return Problems(StatusCodes.Status400BadRequest, [OperationProblem.At($"The request body is not valid JSON: {error.Message}")], "json_invalid");
        }
        var (parsed, missing) = OperationRequestReader.Read(body);
        if (parsed is null) return Problems(StatusCodes.Status400BadRequest, missing, "missing");
        try
        {
            var created = await operations.CreateAsync(parsed with { ListUrl = BaseUrl(request) }, request.HttpContext.ActorName(), ct);
            var monitoring = BaseUrl(request) + "?id=" + created.PublicId;
            return TypedResults.Json(HeadlessOperationWire.Created(created, parsed.Notification, parsed.RetryPolicy, monitoring), ApiJson.SnakeCase,
                statusCode: StatusCodes.Status201Created);
        }
        catch (OperationInvalidException invalid)
        {
            return Problems(StatusCodes.Status422UnprocessableEntity, invalid.Problems, "value_error");
        }
    }

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Path}";

    /// <summary>The same query with another page: every other parameter kept, so the next page answers the same question.</summary>
    private static string PageUrl(HttpRequest request, int limit, int offset)
    {
        var parameters = request.Query.Where(p => p.Key is not ("limit" or "offset"))
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture)))
            .Append(new("offset", offset.ToString(CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString(BaseUrl(request), parameters);
    }

    private static bool TryFlag(string text, out bool value)
    {
        value = text is "true" or "True" or "1";
        return text is "" or "true" or "True" or "1" or "false" or "False" or "0";
    }

    private static bool TryNumber(string text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (text.Length == 0) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
