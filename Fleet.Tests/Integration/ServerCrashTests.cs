using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fleet.Tests.Integration;

/// <summary>
/// The server as a real process, SIGKILLed in the middle of an invocation on 500 simulated agents and one
/// real agent, then started again on the same database: nothing may be lost, stuck or run twice.
/// </summary>
public sealed partial class ServerCrashTests(ITestOutputHelper log) : IDisposable
{
    private const string AdminToken = "crash-admin-token-0123456789";
    private const string EnrolmentToken = "crash-enrolment-token";
    private const int SimulatedAgents = 500;
    private const string RealHostname = "crash-real";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = ProgramProcess.FreePort();
    private readonly List<ProgramProcess> _processes = [];
    private HttpClient? _api;

    private HttpClient Api => _api ??= NewApiClient();

    private HttpClient NewApiClient()
    {
        Directory.CreateDirectory(_directory);
        return ProcessApi.Client(ServerUrl, AdminToken);
    }

    private string ServerUrl => $"http://127.0.0.1:{_port}/";

    [Fact]
    public async Task ServerKilledMidInvocation_EveryRunEndsSucceeded_NoCommandRunsTwice_AndOutputMadeWhileAwayIsKept()
    {
        var server = await StartServerAsync();
        var agentEnvironment = new Dictionary<string, string> { ["FLEET_AGENT_MAXRECONNECTDELAY"] = "00:00:02" };
        var simulated = Start("Fleet.Agent", ["simulate", "--server", ServerUrl, "--enrollment-token", EnrolmentToken,
            "--count", SimulatedAgents.ToString(), "--seed", "7", "--ramp", "500", "--command-latency-ms", "8000"], agentEnvironment);
        Start("Fleet.Agent", ["--server", ServerUrl, "--enrollment-token", EnrolmentToken, "--state-dir", Path.Combine(_directory, "real-agent"),
            "--machine-id", "crash-real-machine", "--hostname", RealHostname], agentEnvironment);
        try
        {
            // Generous: CI runs this beside the rest of the suite on two cores.
            await Eventually.Until(() => OnlineHostsAsync(), online => online == SimulatedAgents + 1, "every agent to come online", TimeSpan.FromSeconds(240));
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\n--- simulator:\n{simulated.Tail(20)}\n--- server:\n{server.Tail(40)}", timeout);
        }

        var marker = Path.Combine(_directory, "ran.log");
        var script = $"echo begin >> {marker}; sleep 3; echo end >> {marker}; echo finished-while-away";
        var created = await Api.PostAsJsonAsync("/api/job_invocations", new
        {
            job_invocation = new { feature = "run_script", targeting_type = "static_query", search_query = "status = online", inputs = new { command = script } },
        });
        Assert.True(created.IsSuccessStatusCode, $"{await created.Content.ReadAsStringAsync()}\n{server.Tail()}");
        var invocationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        await Eventually.Until(() => File.Exists(marker), "the real agent to start its command", TimeSpan.FromSeconds(30));
        server.Kill();
        await Eventually.Until(() => File.ReadAllText(marker).Contains("end"), "the command to finish while the server is down", TimeSpan.FromSeconds(30));
        var restarted = DateTime.UtcNow;
        await StartServerAsync();

        var summary = await Eventually.Until(() => GetJsonAsync($"/api/job_invocations/{invocationId}"),
            body => body.GetProperty("pending").GetInt32() == 0, "every target run to end", TimeSpan.FromSeconds(120));
        Assert.Equal(SimulatedAgents + 1, summary.GetProperty("total").GetInt32());
        Assert.Equal(SimulatedAgents + 1, summary.GetProperty("succeeded").GetInt32());
        Assert.Single(File.ReadAllLines(marker), line => line == "begin");

        // The real agent's inventory reports the machine's own hostname, which replaces the one it enrolled with.
        var agents = (await GetJsonAsync("/api/v1/fleet/agents")).GetProperty("agents").EnumerateArray();
        var realHostId = agents.Single(a => a.GetProperty("hostname").GetString() == RealHostname || a.GetProperty("hostname").GetString() == Environment.MachineName)
            .GetProperty("id").GetString();
        var output = await GetJsonAsync($"/api/job_invocations/{invocationId}/hosts/{realHostId}");
        var text = string.Concat(output.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("output").GetString()));
        Assert.Contains("finished-while-away", text);

        // The simulator counts its executions per command id; the last count settles once every run has ended.
        var line = await simulated.WaitForLineAsync(l => ExecutedLine().IsMatch(l), "the simulator's execution count", TimeSpan.FromSeconds(10));
        var counts = ExecutedLine().Match(line);
        Assert.Equal(counts.Groups["distinct"].Value, counts.Groups["executed"].Value);
        Assert.Equal(SimulatedAgents.ToString(), counts.Groups["distinct"].Value);
        log.WriteLine($"crash: {SimulatedAgents + 1} target runs, {summary.GetProperty("succeeded").GetInt32()} succeeded, " +
            $"0 lost, 0 stuck, {int.Parse(counts.Groups["executed"].Value) - int.Parse(counts.Groups["distinct"].Value)} simulated and " +
            $"{File.ReadAllLines(marker).Count(l => l == "begin") - 1} real commands run twice; all final {(DateTime.UtcNow - restarted).TotalSeconds:0.0} s after the restart began");
    }

    [GeneratedRegex(@"commands executed=(?<executed>\d+) distinct=(?<distinct>\d+)")]
    private static partial Regex ExecutedLine();

    private async Task<ProgramProcess> StartServerAsync()
    {
        var server = Start("Fleet.Web", [], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = ServerUrl,
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__Fleet"] = $"Data Source={Path.Combine(_directory, "fleet.db")}",
            ["Fleet__Bootstrap__AdminToken"] = AdminToken,
            ["Fleet__Agents__EnrollmentToken"] = EnrolmentToken,
            ["Fleet__Agents__AutoApprove"] = "true",
            ["Fleet__LocalAgent__Enabled"] = "false",
            ["Fleet__Jobs__QuietHangfireLogs"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await Api.WaitUntilAnsweringAsync(server, "/api/v1/fleet/status", "the server", TimeSpan.FromSeconds(60));
        return server;
    }

    private Task<int> OnlineHostsAsync() => Api.OnlineHostsAsync();

    private Task<JsonElement> GetJsonAsync(string path) => Api.GetJsonAsync(path);

    private ProgramProcess Start(string project, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var process = ProgramProcess.Start(project, arguments, environment);
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        _api?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
