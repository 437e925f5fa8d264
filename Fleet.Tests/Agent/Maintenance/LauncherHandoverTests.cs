using Fleet.Agent.Execution;
using Fleet.Agent.Maintenance;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Tests.Agent.Execution;

namespace Fleet.Tests.Agent.Maintenance;

/// <summary>
/// The next agent process's side of a version switch, with a real executor and journal and the files the launcher writes:
/// a rollback is journalled as a failure with the launcher's reason before connecting; a switch to this version is held
/// until the server accepts it, and only then journalled as a success; a re-send is answered from the journal.
/// </summary>
public sealed class LauncherHandoverTests : IDisposable
{
    private readonly ExecutorTestContext _context = new();
    private readonly DirectoryInfo _prefix = Directory.CreateTempSubdirectory("fleet-launcher-layout-");

    public void Dispose()
    {
        _context.Dispose();
        _prefix.Delete(recursive: true);
    }

    [Fact]
    public void Detect_FindsThePrefixAndVersion_OnlyInsideTheLauncherLayout_StartedByTheLauncher()
    {
        var layout = Layout("2.0.0");

        Assert.Equal(_prefix.FullName, layout.Prefix);
        Assert.Equal("2.0.0", layout.CurrentVersion);
        Assert.Null(LauncherLayout.Detect(layout.ExecutableOf("2.0.0"), launcherVariable: null));
        Assert.Null(LauncherLayout.Detect("/usr/local/bin/fleet-agent", _prefix.FullName));
        Assert.Null(LauncherLayout.Detect(Path.Combine(_prefix.FullName, "versions", "2.0.0", "Fleet.Agent"), _prefix.FullName));
        File.Delete(Path.Combine(_prefix.FullName, "bin", "fleet-agent-launcher"));
        Assert.Null(LauncherLayout.Detect(layout.ExecutableOf("2.0.0"), _prefix.FullName));
    }

    [Fact]
    public async Task ARollbackReport_IsJournalledAsAFailureWithTheReason_AndARepeatIsAnsweredFromTheJournal()
    {
        var layout = Layout("1.0.0");
        var id = Guid.NewGuid();
        new CommandJournal(_context.PathIn("commands")).RecordStarted(id, DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(layout.ReportFile, $"command={id}\nkind=update\nto=2.0.0\nfrom=1.0.0\nreason=version 2.0.0 exited with code 3 at start\n");
        var executor = _context.NewExecutor();

        new LauncherHandover(layout, executor).BeforeConnecting();
        await executor.HandleAsync(UpdateRequest(id));

        var result = Assert.Single(_context.Reporter.Finished(id));
        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Equal("rolled back to 1.0.0: version 2.0.0 exited with code 3 at start", result.Error);
        Assert.DoesNotContain("started", _context.Reporter.Events(id));
        Assert.False(File.Exists(layout.ReportFile));
    }

    [Fact]
    public async Task ASwitchToThisVersion_IsHeldUntilTheServerAccepts_ThenJournalledAsSuccess_AfterTheHealthMarker()
    {
        var layout = Layout("2.0.0");
        var id = Guid.NewGuid();
        new CommandJournal(_context.PathIn("commands")).RecordStarted(id, DateTimeOffset.UtcNow);
        layout.WriteRequest(new HandoverRequest("update", "2.0.0", "1.0.0", id, 120));
        var executor = _context.NewExecutor();
        var handover = new LauncherHandover(layout, executor);

        handover.BeforeConnecting();
        await executor.HandleAsync(UpdateRequest(id));
        await executor.ReplayUnacknowledgedAsync();
        Assert.Empty(_context.Reporter.Finished(id));
        Assert.False(File.Exists(layout.HealthFile));

        handover.OnAccepted();
        Assert.Equal("2.0.0", (await File.ReadAllTextAsync(layout.HealthFile)).Trim());
        await executor.ReplayUnacknowledgedAsync();
        await executor.HandleAsync(UpdateRequest(id));

        Assert.All(_context.Reporter.Finished(id), r => Assert.Equal(CommandStatus.Success, r.Outcome));
        Assert.NotEmpty(_context.Reporter.Finished(id));
        Assert.Contains("updated from 1.0.0 to 2.0.0", _context.Reporter.Text(id, OutputStream.Stdout));
        Assert.DoesNotContain("started", _context.Reporter.Events(id));
    }

    [Fact]
    public async Task Update_OfAnAgentNotInstalledByTheScript_FailsAndSaysSo()
    {
        var executor = Executor(layout: null, handedOver: () => throw new InvalidOperationException("must not hand over"));
        var id = Guid.NewGuid();

        await executor.HandleAsync(UpdateRequest(id, AgentMaintenanceJson.Write(new AgentUpdateOrder(new AgentPackageRef("2.0.0", new string('a', 64), 10), 60))));

        var result = Assert.Single(_context.Reporter.Finished(id));
        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.Equal(AgentUpdateAction.NotInstalledByScript, result.Error);
    }

    [Fact]
    public async Task Rollback_ToAPrunedVersion_FailsAndNamesIt_WithoutHandingOver()
    {
        var layout = Layout("2.0.0");
        var executor = Executor(layout, handedOver: () => throw new InvalidOperationException("must not hand over"));
        var id = Guid.NewGuid();

        await executor.HandleAsync(new CommandRequest(id, CommandKind.AgentRollback, AgentMaintenanceJson.Write(new AgentRollbackOrder("1.0.0", 60)), null, 60));

        var result = Assert.Single(_context.Reporter.Finished(id));
        Assert.Equal(CommandStatus.Failure, result.Outcome);
        Assert.StartsWith("Version 1.0.0 is no longer installed on this host", result.Error);
        Assert.False(File.Exists(layout.RequestFile));
    }

    [Fact]
    public async Task Rollback_ToAnInstalledVersion_WritesTheLauncherRequest_HandsOver_AndReportsNothingYet()
    {
        var layout = Layout("2.0.0");
        Layout("1.0.0");
        var handedOver = new TaskCompletionSource();
        var executor = Executor(layout, () => handedOver.TrySetResult());
        var id = Guid.NewGuid();

        await executor.HandleAsync(new CommandRequest(id, CommandKind.AgentRollback, AgentMaintenanceJson.Write(new AgentRollbackOrder("1.0.0", 45)), null, 60));

        await handedOver.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new HandoverRequest("rollback", "1.0.0", "2.0.0", id, 45), layout.ReadRequest());
        Assert.Equal($"command={id:D}", (await File.ReadAllLinesAsync(layout.RequestFile)).Single(l => l.StartsWith("command=", StringComparison.Ordinal)));
        Assert.Empty(_context.Reporter.Finished(id));
        Assert.Null(new CommandJournal(_context.PathIn("commands")).Read(id)!.Result);
    }

    private CommandExecutor Executor(LauncherLayout? layout, Action handedOver) =>
        new(_context.StateDir.FullName, new SandboxPowerProvider(_context.StateDir.FullName, (_, _) => Task.CompletedTask), _context.Reporter,
            server: new Uri("http://127.0.0.1:9/"), maintenance: [new AgentUpdateAction(layout), new AgentRollbackAction(layout)],
            downloader: new AgentPackageDownloader(new HttpClient()), handedOver: handedOver);

    private static CommandRequest UpdateRequest(Guid id, string? order = null) => new(id, CommandKind.AgentUpdate,
        order ?? AgentMaintenanceJson.Write(new AgentUpdateOrder(new AgentPackageRef("2.0.0", new string('a', 64), 10), 120)), null, 60);

    /// <summary>install.sh's layout (bin, update, versions) with <paramref name="version"/> installed (an empty file stands for the executable).</summary>
    private LauncherLayout Layout(string version)
    {
        Directory.CreateDirectory(Path.Combine(_prefix.FullName, "bin"));
        Directory.CreateDirectory(Path.Combine(_prefix.FullName, "update"));
        File.WriteAllText(Path.Combine(_prefix.FullName, "bin", "fleet-agent-launcher"), "#!/bin/sh\n");
        Directory.CreateDirectory(Path.Combine(_prefix.FullName, "versions", version));
        var executable = Path.Combine(_prefix.FullName, "versions", version, LauncherLayout.ExecutableName);
        File.WriteAllText(executable, "");
        return LauncherLayout.Detect(executable, _prefix.FullName) ?? throw new InvalidOperationException("layout not detected");
    }
}
