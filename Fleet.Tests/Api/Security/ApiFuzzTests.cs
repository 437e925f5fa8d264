using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Fleet.Tests.Api.Security;

/// <summary>
/// Seeded fuzzing of every REST route the server maps, with an admin token: malformed JSON, wrong types,
/// empty and oversized bodies, unicode and NUL, huge numbers, garbage in every path parameter and query.
/// No answer may be a 5xx, every error must be in its family's shape, and a 4xx must not have added a row.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output)
{
    public const int Seed = 20261129;
    private const int BodyLimit = 64 * 1024;
    private const int RequestsPerRoute = 40;

    /// <summary>Field names the families read, so random bodies reach past "unknown field" into each handler's checks.</summary>
    private static readonly string[] Fields =
    [
        "command", "hostnames", "timeout", "parallel", "host_ids", "include_storage", "include_network", "include_users",
        "force", "delay", "delay_seconds", "message", "shutdown_timeout_seconds", "target_id", "device_name", "device_alias",
        "status", "script", "request_status", "name", "query", "controller", "public", "template", "job_category",
        "template_inputs", "hidden_value", "description_format", "feature", "job_template_id", "targeting_type",
        "search_query", "bookmark_id", "inputs", "ssh", "recurrence", "scheduling", "concurrency_control", "waves",
        "wave_pause", "failure_threshold", "execution_timeout_interval", "time_to_pickup", "randomized_ordering",
        "target_run_timeout_interval", "cron_line", "max_iteration", "end_time", "start_at", "start_before", "failed_only",
        "succeeded_only", "search", "host_ids", "effective_user", "concurrency_level", "operation_type", "device_targets", "schedule",
        "parameters", "notification", "retry_policy", "type", "cron", "timezone", "scheduled_at", "max_attempts", "retry_delay_minutes",
        "webhook_url", "email", "on_failure", "service_name", "package_list", "disk_threshold_percent", "file",
        "instance_ids", "invocation_type", "invocation_target", "invocation_ids", "version_type", "origin", "version", "remote_install_meta",
        "instance_name", "remote_ip", "user_name", "port", "password", "remote_use_pem",
    ];

    private static readonly string[] Wrappers = ["job_invocation", "job_template", "bookmark"];

    private static readonly string[] Strings =
    [
        "", " ", "\0", "a\0b", "\u202Eevil", "💥🔥", "e\u0301\u0301\u0301", "ﾃｽﾄ", "'; DROP TABLE Hosts; --", "\" OR 1=1 --",
        "<script>alert(1)</script>", "../../etc/passwd", "%00", "\\", "\uFFFF", "name ~ web", "status = \"\0\"", "* * * * *",
        "00000000-0000-0000-0000-000000000000", "1, 10%, rest", "10%", "-1", "NaN", "Infinity", "2025-13-45 25:61:00 UTC",
        "cancelled", "static_query", "dynamic_query", "run_script", "hosts", "all", "true", "health_check", "inventory_sync", "recurring",
        "once", "immediate", "txn_1", "Europe/Paris", "INSTALL", "UPDATE", "ROLLBACK", "RETRY", "REMOTE_INSTALL", "SET_REMOTE_INSTALL_HOST",
        "telescope", "BASIC_VERSION", "127.0.0.1",
    ];

    /// <summary>Raw JSON numbers, written as text: some do not fit any .NET number type.</summary>
    private static readonly string[] Numbers =
    [
        "0", "-0", "-1", "1", "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999999999", "1e400",
        "-1e400", "1.5", "1e-400", "0.0000001", "123456789012345678901234567890.5",
    ];

    private static readonly string[] Malformed =
    [
        "{", "{\"a\":", "[1,2", "nul", "{\"a\" 1}", "{'a': 1}", "\"unterminated", "{\"a\":1}}", "\u0000", "{\"a\":\"\\uZZZZ\"}",
        "{\"a\":01}", "[,]", "{\"job_invocation\":{\"inputs\":{\"x\":", "\uFEFF{}",
    ];

    private static readonly string[] PathGarbage =
    [
        "0", "-1", "99999999999999999999", "00000000-0000-0000-0000-000000000000", "not-a-uuid", "%00", "%2e%2e", "%2F",
        "%F0%9F%92%A5", "%27%20OR%201%3D1%20--", "1e400", "NaN", "%E2%80%AE", new string('x', 2000), "%20",
    ];

    private static readonly string[] QueryNames = ["search", "page", "per_page", "since", "status", "order", "host_status", "id", "update_status", "limit", "offset"];

    private sealed record Outcome(string Request, int Status, string Body);

    [Fact]
    public async Task EveryRoute_WithGarbage_AnswersWithoutA5xx_InTheFamilyShape_AndWritesNoRowOnA4xx()
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Limits:MaxRequestBytes"] = BodyLimit.ToString() });
        var ids = await RealIdsAsync(server);
        using var api = server.Api();
        var random = new Random(Seed);
        var routes = ApiRoutes.All(server);
        Assert.NotEmpty(routes);
        await AssertTheOpenApiDocumentListsNoOtherRouteAsync(api, routes);

        var clock = Stopwatch.StartNew();
        var sent = 0;
        var serverErrors = new List<Outcome>();
        var refusedByKestrel = 0;
        var statuses = new SortedDictionary<int, int>();
        var problems = new List<string>();
        foreach (var route in routes)
        {
            for (var i = 0; i < RequestsPerRoute; i++)
            {
                var path = route.Path(name => random.Next(3) == 0 && ids.TryGetValue(name, out var real) ? real : Pick(random, PathGarbage));
                if (route.Method == "GET" || random.Next(4) == 0) path += "?" + Query(random);
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
                var description = $"{route.Method} {Clip(path)}";
                if (route.Method is "POST" or "PUT")
                {
                    var (content, what) = Body(random, i);
                    request.Content = content;
                    description += $" [{what}]";
                }
                var judged = JudgedTables(route.Path(_ => "x"));
                var before = await RowCountsAsync(server, judged);
                HttpResponseMessage response;
                try
                {
                    response = await api.SendAsync(request);
                }
                catch (HttpRequestException lost)
                {
                    problems.Add($"{description} → no answer: {lost.InnerException?.Message ?? lost.Message}");
                    continue;
                }
                using var _ = response;
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                sent++;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500) serverErrors.Add(new Outcome(description, status, Clip(body)));
                else if (status >= 400)
                {
                    if (RefusedByKestrel(response, body)) refusedByKestrel++;
                    // A garbage first segment of dots ("/v3/%2e%2e/agent-invocations") climbs out of the API: that path is
                    // the dashboard's, and no family's shape applies to it.
                    else if (IsApiPath(ServerPath(path)) && ApiErrorShapes.Problem(ServerPath(path), body) is { } shape) problems.Add($"{description} → {status}: {shape}");
                    var after = await RowCountsAsync(server, judged);
                    if (!after.SequenceEqual(before)) problems.Add($"{description} → {status} but rows changed: {Describe(before)} → {Describe(after)}");
                }
                else if (route.Method != "GET")
                {
                    // A write that succeeded may go on writing (the engine dispatching a new job); let it settle so the
                    // next 4xx is judged on its own rows only.
                    await SettleAsync(server);
                }
            }
        }
        clock.Stop();
        output.WriteLine($"fuzz: seed {Seed}, {routes.Count} routes, {sent} requests, {serverErrors.Count} answered 5xx, " +
            $"{refusedByKestrel} refused by Kestrel before the app, {clock.Elapsed.TotalSeconds:F1} s; " +
            "by status: " + string.Join(", ", statuses.Select(s => $"{s.Key} × {s.Value}")));
        foreach (var error in serverErrors.Take(20)) output.WriteLine($"5xx: {error.Request} → {error.Status} {error.Body}");
        Assert.True(serverErrors.Count == 0, $"{serverErrors.Count} of {sent} requests answered 5xx:\n" +
            string.Join("\n", serverErrors.Take(20).Select(e => $"{e.Request} → {e.Status} {e.Body}")));
        Assert.True(problems.Count == 0, $"{problems.Count} of {sent} answers broke a rule:\n" + string.Join("\n", problems.Take(30)));
        Assert.True(sent >= routes.Count * RequestsPerRoute);
    }

    /// <summary>The fuzzed list is the endpoint list; every route the OpenAPI document describes must be in it.</summary>
    private static async Task AssertTheOpenApiDocumentListsNoOtherRouteAsync(HttpClient api, IReadOnlyList<ApiRoute> routes)
    {
        var document = await api.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => operation.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToList();
        Assert.NotEmpty(documented);
        var fuzzed = routes.Select(r => r.Key).ToHashSet();
        var undocumentedInFuzz = documented.Where(key => !fuzzed.Contains(key)).ToList();
        Assert.True(undocumentedInFuzz.Count == 0, "The OpenAPI document lists routes the endpoint list lacks: " + string.Join(", ", undocumentedInFuzz));
    }

    /// <summary>
    /// A host, a job with its stage run, target run and command, a template and a bookmark that exist, so some
    /// requests pass the "not found" checks and reach deeper. The agent is stopped first: the fuzz must never
    /// really run anything on it.
    /// </summary>
    private static async Task<Dictionary<string, string>> RealIdsAsync(FleetServer server)
    {
        var agent = await server.StartAcceptedAgentAsync("fuzz-host-01");
        var invocationId = await server.RunAsync("echo fuzz", "name = fuzz-host-01");
        await server.WaitForEndAsync(invocationId);
        await agent.StopAsync();
        await using var db = server.Db();
        var run = await db.TargetRuns.AsNoTracking().FirstAsync(r => r.InvocationId == invocationId);
        return new Dictionary<string, string>
        {
            ["host_id"] = run.HostId.ToString(),
            ["hostname"] = "fuzz-host-01",
            ["id"] = invocationId.ToString(),
            ["stage_run_id"] = run.StageRunId.ToString(),
            ["target_run_id"] = run.Id.ToString(),
            ["command_id"] = run.CommandId!.Value.ToString(),
            ["project_id"] = "fleet-project",
        };
    }

    private static (HttpContent Content, string What) Body(Random random, int index)
    {
        switch (index % 9)
        {
            case 0:
                return (Json(Pick(random, Malformed)), "malformed JSON");
            case 1:
                return (Json(Pick(random, ["[]", "\"text\"", "42", "true", "null", "[1,2]", $"{{\"{Pick(random, Wrappers)}\": {Pick(random, ["5", "[]", "\"x\"", "null"])}}}"])), "wrong type");
            case 2:
                return random.Next(2) == 0 ? (new ByteArrayContent([]), "empty") : (Json(""), "empty JSON");
            case 3:
                var padding = new string('a', BodyLimit + 1 + random.Next(1000));
                var oversized = Json($"{{\"command\": \"{padding}\"}}");
                // Half declare their length, half arrive chunked and are cut off while being read.
                if (random.Next(2) == 0) return (oversized, "oversized");
                return (new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"command\": \"{padding}\"}}"))) { Headers = { ContentType = new("application/json") } }, "oversized chunked");
            case 4:
                // What a cross-site form can send: a JSON-looking body as text/plain.
                return (new StringContent(Document(random), Encoding.UTF8, "text/plain"), "text/plain");
            default:
                return (Json(Document(random)), "random document");
        }
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    /// <summary>An object of known field names with random values, wrapped the way seed 002 wraps its bodies half the time.</summary>
    private static string Document(Random random)
    {
        var fields = new StringBuilder("{");
        var count = random.Next(1, 8);
        for (var i = 0; i < count; i++)
        {
            if (i > 0) fields.Append(',');
            fields.Append(JsonSerializer.Serialize(Pick(random, Fields))).Append(':').Append(Value(random, depth: 0));
        }
        fields.Append('}');
        return random.Next(2) == 0 ? $"{{\"{Pick(random, Wrappers)}\": {fields}}}" : fields.ToString();
    }

    private static string Value(Random random, int depth) => random.Next(depth > 1 ? 4 : 7) switch
    {
        0 => JsonSerializer.Serialize(Pick(random, Strings)),
        1 => Pick(random, Numbers),
        2 => Pick(random, ["true", "false", "null"]),
        3 => JsonSerializer.Serialize(string.Concat(Enumerable.Repeat(Pick(random, ["x", "é", "\0", "💥"]), random.Next(200, 5000)))),
        4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(random, depth + 1))) + "]",
        5 => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
            JsonSerializer.Serialize(Pick(random, Fields)) + ":" + Value(random, depth + 1))) + "}",
        _ => JsonSerializer.Serialize(Pick(random, Strings)),
    };

    private static string Query(Random random) =>
        string.Join("&", Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
            $"{Pick(random, QueryNames)}={Uri.EscapeDataString(random.Next(2) == 0 ? Pick(random, Strings) : Pick(random, Numbers))}"));

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>
    /// Tables the engine keeps writing on its own while earlier (successful) jobs progress: a later wave after its
    /// pause, a job whose start time came. Only the stage-run family (seed 004) writes them directly from a request,
    /// so only its answers are judged on them; every other request is judged on every other table.
    /// </summary>
    private static readonly string[] EngineProgressTables = ["commands", "output_chunks", "stage_runs", "target_runs"];

    /// <summary>
    /// Tables only a clock writes: the fleet-size sample taken every ten minutes of wall time. A fuzz run that spans a
    /// tenth minute saw it grow 0 → 1 between a refused request's two counts, so no request is judged on it.
    /// </summary>
    private static readonly string[] ClockWrittenTables = ["fleet_samples"];

    private static Func<string, bool> JudgedTables(string path) =>
        path.StartsWith("/v0/", StringComparison.Ordinal)
            ? table => !ClockWrittenTables.Contains(table)
            : table => !EngineProgressTables.Contains(table) && !ClockWrittenTables.Contains(table);

    private static Task<long[]> RowCountsAsync(FleetServer server) => RowCountsAsync(server, _ => true);

    /// <summary>
    /// Row counts of the judged tables the API can write, in one statement so each request costs one extra query, not
    /// eighteen. The audit trail is left out: it records refused requests too, which is its purpose.
    /// </summary>
    private static async Task<long[]> RowCountsAsync(FleetServer server, Func<string, bool> judged)
    {
        await using var db = server.Db();
        var tables = db.Model.GetEntityTypes().Where(t => t.ClrType != typeof(Fleet.Web.Data.AuditRecord)).Select(t => t.GetTableName())
            .Where(t => t is not null && judged(t)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT " + string.Join(", ", tables.Select(t => $"(SELECT COUNT(*) FROM \"{t}\")"));
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return Enumerable.Range(0, tables.Count).Select(reader.GetInt64).ToArray();
    }

    private static string Describe(long[] counts) => string.Join(",", counts);

    private static async Task SettleAsync(FleetServer server)
    {
        var last = await RowCountsAsync(server);
        await Eventually.Until(async () =>
        {
            await Task.Delay(100);
            var now = await RowCountsAsync(server);
            var stable = now.SequenceEqual(last);
            last = now;
            return stable;
        }, stable => stable, "the rows written after a successful request to settle", TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// A request line Kestrel itself rejects (a NUL in the decoded path) is answered 400 with no body and the
    /// connection closed, before any middleware runs: no application code can shape it, and none needs to.
    /// </summary>
    private static bool RefusedByKestrel(HttpResponseMessage response, string body) =>
        (int)response.StatusCode == 400 && body.Length == 0 && response.Headers.ConnectionClose == true;

    private static bool IsApiPath(string path) =>
        new[] { "/api", "/v0", "/v3" }.Any(prefix => path.Equals(prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase));

    /// <summary>The path as the server routes it: encoded dots are dot segments, which Kestrel resolves.</summary>
    private static string ServerPath(string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0].Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
        return new Uri(new Uri("http://fleet"), path).AbsolutePath;
    }

    private static string Clip(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
