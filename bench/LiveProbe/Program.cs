using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;

// LiveProbe: schedules a job on every host, joins its LiveHub group before it starts, and measures what a
// client sees: messages per second, latency from a run's update on the server to the client, and the final
// counts; meanwhile it loads the dashboard's live progress page to see whether it stays responsive.
// Usage: LiveProbe <server> <token> <hosts> <search> <username> <password>
var (server, token, hosts, search, username, password) = (args[0].TrimEnd('/'), args[1], int.Parse(args[2]), args[3], args[4], args[5]);
var api = new HttpClient { BaseAddress = new Uri(server), Timeout = TimeSpan.FromMinutes(5) };
api.DefaultRequestHeaders.Authorization = new("Bearer", token);

var startAt = DateTimeOffset.UtcNow.AddSeconds(10);
var create = await api.PostAsJsonAsync("/api/job_invocations", new
{
    job_invocation = new
    {
        feature = "run_script", targeting_type = "static_query", search_query = search,
        inputs = new { command = "true" }, scheduling = new { start_at = startAt.ToString("O") },
    },
});
var created = await create.Content.ReadFromJsonAsync<JsonElement>();
if (!create.IsSuccessStatusCode) throw new InvalidOperationException($"create failed: {create.StatusCode} {created}");
var id = created.GetProperty("id").GetInt64();

var messages = new List<(double At, int Finished, int Total, List<double> LatenciesMs)>();
// Latency counts the first time the client learns of a run's status; a repeat would measure nothing new.
var seenStatuses = new HashSet<(string, string)>();
var repeats = 0;
var serverDelays = new List<double>();
var resultLatencies = new List<double>();
string[] finalStatuses = ["success", "failure", "cancelled", "timeout", "invalid"];
var transportDelays = new List<double>();
var clock = Stopwatch.StartNew();
var done = new TaskCompletionSource();
var hub = new HubConnectionBuilder()
    .WithUrl($"{server}/hubs/live", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
    .Build();
hub.On<JsonElement>("progress", message =>
{
    var now = DateTimeOffset.UtcNow;
    var counts = message.GetProperty("counts");
    int Count(string s) => counts.TryGetProperty(s, out var c) ? c.GetInt32() : 0;
    var finished = Count("success") + Count("failure") + Count("cancelled") + Count("timeout") + Count("invalid");
    var latencies = new List<double>();
    lock (messages)
    {
        foreach (var run in message.GetProperty("changed").EnumerateArray())
        {
            if (seenStatuses.Add((run.GetProperty("id").GetString()!, run.GetProperty("status").GetString()!)))
            {
                var updated = run.GetProperty("updatedAt").GetDateTimeOffset();
                latencies.Add((now - updated).TotalMilliseconds);
                if (finalStatuses.Contains(run.GetProperty("status").GetString())) resultLatencies.Add((now - updated).TotalMilliseconds);
                serverDelays.Add((message.GetProperty("at").GetDateTimeOffset() - updated).TotalMilliseconds);
            }
            else repeats++;
        }
        transportDelays.Add((now - message.GetProperty("at").GetDateTimeOffset()).TotalMilliseconds);
        messages.Add((clock.Elapsed.TotalSeconds, finished, message.GetProperty("total").GetInt32(), latencies));
    }
    if (finished >= hosts) done.TrySetResult();
});
await hub.StartAsync();
await hub.InvokeAsync("JoinInvocation", id);

// The dashboard: sign in with the login form, then load the live progress page (server-rendered with all runs) over and over.
var cookies = new CookieContainer();
var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true }) { BaseAddress = new Uri(server), Timeout = TimeSpan.FromMinutes(2) };
var loginPage = await browser.GetStringAsync("/login");
var antiforgery = Regex.Match(loginPage, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
{
    ["__RequestVerificationToken"] = antiforgery, ["username"] = username, ["password"] = password, ["returnUrl"] = "/",
}));
var pageTimes = new List<double>();
using var stopPages = new CancellationTokenSource();
var pages = Task.Run(async () =>
{
    while (!stopPages.IsCancellationRequested)
    {
        var watch = Stopwatch.StartNew();
        var html = await browser.GetStringAsync($"/jobs/{id}/progress");
        if (!html.Contains("data-wave")) throw new InvalidOperationException("the progress page did not render (signed in?)");
        pageTimes.Add(watch.Elapsed.TotalMilliseconds);
        await Task.Delay(500);
    }
});

var wait = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMinutes(10)));
await stopPages.CancelAsync();
try { await pages; } catch (Exception error) when (error is not InvalidOperationException) { }
await hub.DisposeAsync();

List<(double At, int Finished, int Total, List<double> LatenciesMs)> seen;
lock (messages) seen = messages.ToList();
var active = seen.Where(m => m.LatenciesMs.Count > 0).ToList();
var first = active.Count > 0 ? active[0].At : 0;
var last = active.Count > 0 ? active[^1].At : 0;
var maxPerSecond = active.Count == 0 ? 0 : active.Max(m => active.Count(o => o.At >= m.At && o.At < m.At + 1.0));
var latencies = active.SelectMany(m => m.LatenciesMs).Order().ToList();
double Pct(List<double> xs, double p) => xs.Count == 0 ? double.NaN : xs[Math.Min(xs.Count - 1, (int)Math.Ceiling(p * xs.Count) - 1)];
var pageSorted = pageTimes.Order().ToList();
Console.WriteLine(JsonSerializer.Serialize(new
{
    invocation = id,
    completed = wait == done.Task,
    final_finished = seen.Count > 0 ? seen[^1].Finished : 0,
    final_total = seen.Count > 0 ? seen[^1].Total : 0,
    messages = seen.Count,
    run_updates = latencies.Count,
    repeated_updates = repeats,
    active_seconds = Math.Round(last - first, 2),
    max_messages_in_any_second = maxPerSecond,
    results = resultLatencies.Count,
    result_latency_p50_ms = Math.Round(Pct(resultLatencies.Order().ToList(), 0.50)),
    result_latency_p95_ms = Math.Round(Pct(resultLatencies.Order().ToList(), 0.95)),
    result_latency_max_ms = Math.Round(resultLatencies.Count == 0 ? double.NaN : resultLatencies.Max()),
    latency_p50_ms = Math.Round(Pct(latencies, 0.50)),
    latency_p95_ms = Math.Round(Pct(latencies, 0.95)),
    latency_max_ms = Math.Round(latencies.Count == 0 ? double.NaN : latencies[^1]),
    updated_to_read_p95_ms = Math.Round(Pct(serverDelays.Order().ToList(), 0.95)),
    read_to_client_p95_ms = Math.Round(Pct(transportDelays.Order().ToList(), 0.95)),
    page_loads = pageSorted.Count,
    page_p50_ms = Math.Round(Pct(pageSorted, 0.50)),
    page_p95_ms = Math.Round(Pct(pageSorted, 0.95)),
    page_max_ms = Math.Round(pageSorted.Count == 0 ? double.NaN : pageSorted[^1]),
}));
