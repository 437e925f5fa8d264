using System.Diagnostics;
using Fleet.Agent.Children;
using Fleet.Agent.Execution;
using Fleet.Agent.Maintenance;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Tests.Agent.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Fleet.Tests.Agent.Maintenance;

/// <summary>
/// INSTALL of a child host, run by the parent agent's own executor: the sandbox child's folder stands for its file system,
/// and install.sh really runs there, so the child's agent is a real process that enrols with a real server.
/// </summary>
public sealed class ChildAgentInstallActionTests(ITestOutputHelper output) : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly FleetServer _server = new();
    private readonly ExecutorTestContext _parent = new();
    private readonly InstalledAgents _installed = new();

    public void Dispose()
    {
        _installed.Dispose();
        _parent.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task InstallIntoARunningSandboxChild_ItsAgentEnrolsAndComesOnline()
    {
        var sandbox = new SandboxChildHostProvider(_parent.StateDir.FullName);
        sandbox.Seed([new SandboxChild("web-1", "running")]);
        _installed.Track(sandbox.PathInChild("web-1", AgentPackagePaths.DefaultPrefix));
        var machineId = "child-web-1-" + Guid.NewGuid().ToString("N")[..8];
        var order = new ChildAgentInstallOrder("web-1", "sandbox", await ServedPackageAsync(),
            new AgentInstallArgs(FleetServer.EnrollmentToken, _server.Address.ToString(), Hostname: "web-1", MachineId: machineId));
        var request = new CommandRequest(Guid.NewGuid(), CommandKind.ChildAgentInstall, AgentMaintenanceJson.Write(order), null, 300);

        var clock = Stopwatch.StartNew();
        await Executor(sandbox).HandleAsync(request).WaitAsync(TimeSpan.FromMinutes(3));

        var result = Assert.Single(_parent.Reporter.Finished(request.CommandId));
        var said = _parent.Reporter.Text(request.CommandId, OutputStream.Stdout);
        Assert.True(result.Outcome == CommandStatus.Success, $"{result.Error}\n{said}");
        Assert.Contains("fleet-agent install: done", said);
        Assert.DoesNotContain(FleetServer.EnrollmentToken, said);
        var childRoot = sandbox.RootOf("web-1");
        Assert.True(File.Exists(Path.Combine(childRoot, "opt/fleet-agent/launcher.pid")), "the launcher runs from the child's own prefix");
        Assert.True(Directory.Exists(Path.Combine(childRoot, "var/lib/fleet-agent")), "the agent keeps its state in the child's own folder");
        Assert.False(Directory.Exists(Path.Combine(childRoot, "tmp", $"fleet-install-{request.CommandId:N}")), "the package is removed from the child");
        await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            // By machine id: the first inventory report renames the host to the machine's real hostname (see README), which in
            // the sandbox is this machine's, so the "web-1" given to install.sh may already be gone when this looks.
            return await db.Hosts.AsNoTracking().AnyAsync(h => h.MachineId == machineId && h.Connectivity == Fleet.Domain.Hosts.HostConnectivity.Online);
        }, online => online, $"the child's agent online\n{said}", TimeSpan.FromSeconds(90));
        output.WriteLine($"ChildAgentInstall received -> child host online: {clock.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task InstallIntoAStoppedChild_FailsSayingSo_AndInstallsNothing()
    {
        var sandbox = new SandboxChildHostProvider(_parent.StateDir.FullName);
        sandbox.Seed([new SandboxChild("db-1", "stopped")]);
        var order = new ChildAgentInstallOrder("db-1", "sandbox", await ServedPackageAsync(), new AgentInstallArgs(FleetServer.EnrollmentToken, _server.Address.ToString()));
        var request = new CommandRequest(Guid.NewGuid(), CommandKind.ChildAgentInstall, AgentMaintenanceJson.Write(order), null, 60);

        await Executor(sandbox).HandleAsync(request).WaitAsync(TimeSpan.FromMinutes(1));

        var result = Assert.Single(_parent.Reporter.Finished(request.CommandId));
        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Equal("Child host 'db-1' is stopped, not running.", result.Error);
        Assert.False(Directory.Exists(Path.Combine(sandbox.RootOf("db-1"), "opt")));
    }

    /// <summary>The parent agent's real executor, with the maintenance actions a real agent registers.</summary>
    private CommandExecutor Executor(SandboxChildHostProvider sandbox)
    {
        var children = new ChildHostCatalog([sandbox]);
        var settings = new Fleet.Agent.AgentSettings { Server = _server.Address.ToString(), StateDir = _parent.StateDir.FullName };
        return new CommandExecutor(_parent.StateDir.FullName, new SandboxPowerProvider(_parent.StateDir.FullName, (_, _) => Task.CompletedTask), _parent.Reporter,
            children: children, server: _server.Address, maintenance: MaintenanceActions.For(settings, children), downloader: new AgentPackageDownloader(Http));
    }

    private async Task<AgentPackageRef> ServedPackageAsync()
    {
        var package = await _server.Get<IAgentPackages>().ForVersionTypeAsync(null);
        return package?.Ref ?? throw new InvalidOperationException("The test server offers no agent package: Fleet.Web's build publishes it (needs clang).");
    }
}
