using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Fleet.Tests.Cluster;

/// <summary>
/// Two Fleet.Web processes on one PostgreSQL database and one Redis; simulated agents started with <c>--server A,B</c> are spread over
/// both. Instance A is SIGKILLed in the middle of an invocation created on B: A's agents reconnect to B, every target run ends,
/// no target run gets a second command, no simulated command runs twice, nothing is lost.
/// </summary>
public sealed partial class ClusterCrashTests(ITestOutputHelper log) : IDisposable
{
    private const string AdminToken = "cluster-crash-admin-token-0123456789";
    private const string EnrolmentToken = "cluster-crash-enrolment-token";
    private const int SimulatedAgents = 200;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "cluster-crash-" + Guid.NewGuid().ToString("N"));
    private readonly PostgresServer _postgres = new();
    private readonly RedisServer _redis = new();
    private string _database = "";
    private readonly List<ProgramProcess> _processes = [];

    [Fact]
    public async Task InstanceKilledMidInvocation_ItsAgentsMoveToTheOther_EveryRunEndsOnce_WithOneCommandEach()
    {
        Directory.CreateDirectory(_directory);
        _database = await _postgres.CreateDatabaseAsync();
        var (a, aUrl) = await StartInstanceAsync("a");
        var (_, bUrl) = await StartInstanceAsync("b");
        using var onB = Api(bUrl);
        var simulated = Start("Fleet.Agent", ["simulate", "--server", $"{aUrl},{bUrl}", "--enrollment-token", EnrolmentToken,
            "--count", SimulatedAgents.ToString(), "--seed", "12", "--ramp", "500", "--command-latency-ms", "6000"],
            new Dictionary<string, string> { ["FLEET_AGENT_MAXRECONNECTDELAY"] = "00:00:02" });
        await Eventually.Until(() => onB.OnlineHostsAsync(), online => online == SimulatedAgents, "every agent to come online", TimeSpan.FromSeconds(240));

        var created = await onB.PostAsJsonAsync("/api/job_invocations", new
        {
            job_invocation = new { feature = "run_script", targeting_type = "static_query", search_query = "status = online", inputs = new { command = "echo cluster" } },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var invocationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        // Some results are in, most commands are still running on their agents (up to 6 s each): now A dies.
        await simulated.WaitForLineAsync(l => ExecutedLine().Match(l) is { Success: true } m && int.Parse(m.Groups["executed"].Value) >= 10,
            "the first results", TimeSpan.FromSeconds(60));
        a.Kill();
        var killed = DateTime.UtcNow;

        var summary = await Eventually.Until(() => onB.GetJsonAsync($"/api/job_invocations/{invocationId}"),
            body => body.GetProperty("pending").GetInt32() == 0, "every target run to end", TimeSpan.FromSeconds(120));
        Assert.Equal(SimulatedAgents, summary.GetProperty("total").GetInt32());
        Assert.Equal(SimulatedAgents, summary.GetProperty("succeeded").GetInt32());

        await using (var db = OpenDatabase())
        {
            var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).Select(r => r.Id).ToListAsync();
            var commands = await db.Commands.AsNoTracking().Where(c => runs.Contains(c.TargetRunId)).GroupBy(c => c.TargetRunId)
                .Select(g => g.Count()).ToListAsync();
            Assert.Equal(SimulatedAgents, runs.Count);
            Assert.Equal(SimulatedAgents, commands.Count);
            Assert.All(commands, count => Assert.Equal(1, count));
        }

        var line = await simulated.WaitForLineAsync(l => ExecutedLine().Match(l) is { Success: true } m && m.Groups["distinct"].Value == SimulatedAgents.ToString(),
            "the simulator's final execution count", TimeSpan.FromSeconds(20));
        var counts = ExecutedLine().Match(line);
        Assert.Equal(counts.Groups["distinct"].Value, counts.Groups["executed"].Value);
        log.WriteLine($"cluster crash: {SimulatedAgents} target runs, all succeeded {(DateTime.UtcNow - killed).TotalSeconds:0.0} s after A was killed; " +
                      "one command per run, no simulated command run twice");
    }

    [GeneratedRegex(@"commands executed=(?<executed>\d+) distinct=(?<distinct>\d+)")]
    private static partial Regex ExecutedLine();

    private PostgresFleetDbContext OpenDatabase() => new(new DbContextOptionsBuilder<PostgresFleetDbContext>().UseNpgsql(_database).Options);

    private async Task<(ProgramProcess Process, string Url)> StartInstanceAsync(string name)
    {
        var url = $"http://127.0.0.1:{ProgramProcess.FreePort()}/";
        var server = Start("Fleet.Web", [], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Fleet__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Fleet"] = _database,
            ["Fleet__DataFolder"] = Path.Combine(_directory, name),
            ["Fleet__Jobs__Storage"] = "PostgreSql",
            ["ConnectionStrings__Redis"] = _redis.ConnectionString,
            ["Fleet__Cluster__HeartbeatSeconds"] = "1",
            ["Fleet__Bootstrap__AdminToken"] = AdminToken,
            ["Fleet__Agents__EnrollmentToken"] = EnrolmentToken,
            ["Fleet__Agents__AutoApprove"] = "true",
            ["Fleet__LocalAgent__Enabled"] = "false",
            ["Fleet__LocalAgent__StateDir"] = Path.Combine(_directory, name, "local-agent"),
            ["Fleet__Jobs__QuietHangfireLogs"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var api = Api(url);
        await api.WaitUntilAnsweringAsync(server, "/readyz", $"instance {name}", TimeSpan.FromSeconds(90));
        return (server, url);
    }

    private static HttpClient Api(string url) => ProcessApi.Client(url, AdminToken);

    private ProgramProcess Start(string project, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var process = ProgramProcess.Start(project, arguments, environment);
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        _redis.Dispose();
        _postgres.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
