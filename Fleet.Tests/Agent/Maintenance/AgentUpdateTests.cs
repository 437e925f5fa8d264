using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.AgentPackages;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Agent.Maintenance;

/// <summary>
/// The whole lifecycle with real parts: two agent versions published by the test (NativeAOT, as production), installed by
/// the server's own install.sh, supervised by the real launcher, updated and rolled back through the engine. A package
/// that exits at start is rolled back by the launcher alone, and the run says why.
/// </summary>
public sealed class AgentUpdateTests : IDisposable
{
    private const string VersionA = "9.1.0";
    private const string VersionB = "9.2.0";
    private const string BrokenVersion = "9.3.0-exits";

    private readonly FleetServer _server = new();
    private readonly List<InstalledAgent> _installed = [];

    public void Dispose()
    {
        foreach (var agent in _installed) agent.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Update_FromAToB_RestartsAsB_AndTheRunSucceeds()
    {
        var (agent, hostId) = await InstallAsync(VersionA);

        var invocation = await SendAsync(CommandKind.AgentUpdate, AgentMaintenanceJson.Write(new AgentUpdateOrder(await PackageAsync(VersionB), 120)), hostId);
        var result = Assert.Single(await _server.WaitForEndAsync(invocation, TimeSpan.FromMinutes(3)));

        Assert.True(result.Status == TargetRunStatus.Success, $"{result.Status}: {result.Reason}\n{result.Stdout}\n{agent.LauncherLog}");
        Assert.Contains($"updated from {VersionA} to {VersionB}", result.Stdout);
        await WaitForVersionAsync(agent, VersionB);
        Assert.Equal(VersionB, agent.CurrentVersion);
        Assert.Equal([VersionA, VersionB], agent.InstalledVersions);
    }

    [Fact]
    public async Task Update_ToAPackageThatExitsAtStart_RollsBackByItself_AndTheRunFailsWithTheReason()
    {
        var (agent, hostId) = await InstallAsync(VersionA);
        var broken = await AddBrokenPackageAsync();

        var invocation = await SendAsync(CommandKind.AgentUpdate, AgentMaintenanceJson.Write(new AgentUpdateOrder(broken, 120)), hostId);
        var result = Assert.Single(await _server.WaitForEndAsync(invocation, TimeSpan.FromMinutes(3)));

        Assert.Equal(TargetRunStatus.Failure, result.Status);
        Assert.Contains($"rolled back to {VersionA}: version {BrokenVersion} exited with code 3 at start", result.Reason);
        await WaitForVersionAsync(agent, VersionA);
        Assert.Equal(VersionA, agent.CurrentVersion);
    }

    [Fact]
    public async Task Rollback_AfterAnUpdate_RestoresTheVersionInPlaceBefore()
    {
        var (agent, hostId) = await InstallAsync(VersionA);
        var update = await SendAsync(CommandKind.AgentUpdate, AgentMaintenanceJson.Write(new AgentUpdateOrder(await PackageAsync(VersionB), 120)), hostId);
        Assert.Equal(TargetRunStatus.Success, Assert.Single(await _server.WaitForEndAsync(update, TimeSpan.FromMinutes(3))).Status);
        await WaitForVersionAsync(agent, VersionB);

        var rollback = await SendAsync(CommandKind.AgentRollback, AgentMaintenanceJson.Write(new AgentRollbackOrder(VersionA, 120)), hostId);
        var result = Assert.Single(await _server.WaitForEndAsync(rollback, TimeSpan.FromMinutes(3)));

        Assert.True(result.Status == TargetRunStatus.Success, $"{result.Status}: {result.Reason}\n{result.Stdout}\n{agent.LauncherLog}");
        Assert.Contains($"rolled back from {VersionB} to {VersionA}", result.Stdout);
        await WaitForVersionAsync(agent, VersionA);
        Assert.Equal(VersionA, agent.CurrentVersion);
    }

    private async Task<(InstalledAgent Agent, Guid HostId)> InstallAsync(string version)
    {
        await PackageAsync(version);
        var agent = await InstalledAgent.InstallAsync(_server, version, "upd-" + Guid.NewGuid().ToString("N")[..10]);
        _installed.Add(agent);
        return (agent, await WaitForVersionAsync(agent, version));
    }

    /// <summary>Publishes the version (once per test run) and adds it to this server's packages.</summary>
    private async Task<AgentPackageRef> PackageAsync(string version)
    {
        var packages = _server.Get<IAgentPackages>();
        if (await packages.FindAsync(version) is { } known) return known.Ref;
        var published = await PublishedAgentPackages.GetAsync(version);
        await using var file = File.OpenRead(published.FilePath);
        var added = await packages.AddAsync(version, file, "tests");
        Assert.Equal(published.Sha256, added.Sha256);
        return added.Ref;
    }

    private async Task<AgentPackageRef> AddBrokenPackageAsync()
    {
        using var content = new MemoryStream("#!/bin/sh\nexit 3\n"u8.ToArray());
        return (await _server.Get<IAgentPackages>().AddAsync(BrokenVersion, content, "tests")).Ref;
    }

    private Task<long> SendAsync(CommandKind kind, string order, Guid hostId) =>
        _server.Get<InvocationService>().CreateAsync(new InvocationSpec
        {
            JobCategory = "Agent maintenance",
            Description = kind.ToString(),
            TemplateName = "Agent Maintenance",
            Origin = InvocationOrigin.AgentMaintenance,
            CommandKind = kind,
            Script = order,
            HostIds = [hostId],
            TimeToPickupSeconds = 60,
            ExecutionTimeoutSeconds = 600,
        }, "tester");

    /// <summary>
    /// The host is online and its agent reports this version (the one it was published with). Found by machine id: the real
    /// inventory reports the machine's own hostname, which replaces the hello's.
    /// </summary>
    private async Task<Guid> WaitForVersionAsync(InstalledAgent agent, string version)
    {
        var host = await Eventually.Until(async () =>
        {
            await using var db = _server.Db();
            return await db.Hosts.AsNoTracking().Where(h => h.MachineId == agent.MachineId)
                .Select(h => new { h.Id, h.AgentVersion, h.Connectivity }).FirstOrDefaultAsync();
        }, h => h is not null && h.AgentVersion == version && h.Connectivity == HostConnectivity.Online,
            $"host {agent.MachineId} online with agent {version}", TimeSpan.FromMinutes(2));
        return host!.Id;
    }
}
