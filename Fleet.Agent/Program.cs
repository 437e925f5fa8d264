using Fleet.Agent;
using Fleet.Agent.Inventory;
using Fleet.Agent.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

// fleet-agent [run] --server URL[,URL...] --enrollment-token T --state-dir DIR   (fails over between the servers listed)
// fleet-agent version                 prints the agent's version (install.sh reads a package's version this way)
// fleet-agent simulate --server URL[,URL...] --enrollment-token T --count N --seed S [--ramp R] [--command-latency-ms MS]
//                      [--exec [--exec-processes P]]   run each command as a real process (at most P at once, default 2 × cores)
if (args is ["version"] or ["--version"])
{
    Console.WriteLine(AgentVersion.Current);
    return 0;
}
var simulate = args.Length > 0 && args[0] == "simulate";
var options = args.Length > 0 && args[0] is "simulate" or "run" ? args[1..] : args;
// --exec is a bare switch, which the configuration's command line reader does not take: it is read here.
var exec = simulate && options.Contains("--exec");
options = options.Where(o => o != "--exec").ToArray();
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables("FLEET_AGENT_")
    .AddCommandLine(options, new Dictionary<string, string>
    {
        ["--server"] = "Server",
        ["--enrollment-token"] = "EnrollmentToken",
        ["--state-dir"] = "StateDir",
        ["--machine-id"] = "MachineId",
        ["--hostname"] = "Hostname",
        ["--count"] = "Count",
        ["--seed"] = "Seed",
        ["--ramp"] = "RampPerSecond",
        ["--command-latency-ms"] = "CommandLatencyMs",
        ["--exec-processes"] = "ExecProcesses",
    })
    .Build();
var settings = configuration.Get<AgentSettings>() ?? new AgentSettings();
try
{
    ServerRotation.Parse(settings.Server);
}
catch (FormatException bad)
{
    Console.Error.WriteLine($"--server: {bad.Message}");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
// Not disposed: ProcessExit fires after the last line of this file has run (a refused agent returning 2 included), and
// cancelling a disposed source there threw ObjectDisposedException, turning every exit code into a crash (134).
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

if (simulate)
{
    var count = configuration.GetValue("Count", 10);
    var seed = configuration.GetValue("Seed", 1);
    var ramp = configuration.GetValue("RampPerSecond", 500);
    var latency = TimeSpan.FromMilliseconds(configuration.GetValue("CommandLatencyMs", 500));
    int? execProcesses = exec ? Math.Max(1, configuration.GetValue("ExecProcesses", 2 * Environment.ProcessorCount)) : null;
    await new SimulatedFleet(settings, count, seed, ramp, loggerFactory.CreateLogger("simulate"), latency, execProcesses).RunAsync(stop.Token);
    return 0;
}

var machineId = settings.MachineId ?? MachineIdentity.Read(settings.StateDir);
var hostname = settings.Hostname ?? Environment.MachineName;
await using var agent = new AgentRunner(settings, new LinuxInventorySource(), new FileIdentityStore(settings.StateDir), machineId, hostname,
    loggerFactory.CreateLogger("agent"));
try
{
    await agent.RunAsync(stop.Token);
    // An update or rollback handed over: the launcher starts the next version when it sees this code.
    return agent.HandedOverToLauncher ? Fleet.Agent.Maintenance.LauncherLayout.HandOverExitCode : 0;
}
catch (AgentRefusedException refused)
{
    loggerFactory.CreateLogger("agent").LogError("The server refused this agent: {Reason}", refused.Message);
    return 2;
}
