using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Agent.Children;
using Fleet.Agent.Maintenance;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;

namespace Fleet.Agent.Execution;

/// <summary>
/// Runs the commands the server sends: scripts as real processes, reboots and shutdowns through an <see cref="IPowerProvider"/>.
/// Each command id runs at most once, across repeats and agent restarts (see <see cref="CommandJournal"/>).
/// </summary>
public sealed class CommandExecutor
{
    public const string RestartedError = "The agent restarted while this command was running; its outcome is unknown.";
    public const string CancelledError = "Cancelled by the server";
    public static readonly TimeSpan JournalRetention = TimeSpan.FromDays(7);
    /// <summary>A script that ends within this is reported in one message; one that runs longer reports its start and streams output.</summary>
    public static readonly TimeSpan ShortCommandWindow = TimeSpan.FromMilliseconds(200);
    /// <summary>How long to keep reading after the command exited, for output a background child still holds open.</summary>
    private static readonly TimeSpan OutputDrainGrace = TimeSpan.FromSeconds(5);

    private readonly IPowerProvider _power;
    private readonly ChildHostCatalog _children;
    private readonly Func<Task>? _childrenChanged;
    private readonly ICommandReporter _reporter;
    private readonly TimeProvider _clock;
    private readonly CommandJournal _journal;
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, RunningCommand> _running = [];
    private readonly HashSet<Guid> _replaying = [];
    private readonly string? _toolPath;
    private readonly string _stateDir;
    private readonly Uri? _server;
    private readonly IReadOnlyDictionary<CommandKind, IMaintenanceAction> _maintenance;
    private readonly AgentPackageDownloader? _downloader;
    private readonly Action? _handedOver;
    private readonly SemaphoreSlim? _processSlots;

    /// <param name="children">Where child-host stops and starts go; none by default.</param>
    /// <param name="childrenChanged">Called after a child host was stopped or started, so the agent can report the new state.</param>
    /// <param name="toolPath">See <see cref="AgentSettings.ToolPath"/>.</param>
    /// <param name="server">The server this agent talks to, against which maintenance actions resolve package paths.</param>
    /// <param name="maintenance">The agent maintenance actions (update, rollback, installs); none by default.</param>
    /// <param name="handedOver">Called once a maintenance action has handed this process over to the launcher (and the executor
    /// has let go of the command): the agent then stops and exits with <see cref="LauncherLayout.HandOverExitCode"/>.</param>
    /// <param name="processSlots">Taken while a script's process runs, from its start to its exit; none by default. The simulator
    /// shares one across its virtual agents so that they never run more processes at once than it allows.</param>
    public CommandExecutor(string stateDir, IPowerProvider power, ICommandReporter reporter, TimeProvider? clock = null,
        ChildHostCatalog? children = null, Func<Task>? childrenChanged = null, string? toolPath = null,
        Uri? server = null, IEnumerable<IMaintenanceAction>? maintenance = null, AgentPackageDownloader? downloader = null,
        Action? handedOver = null, SemaphoreSlim? processSlots = null)
    {
        _handedOver = handedOver;
        _processSlots = processSlots;
        _stateDir = stateDir;
        _server = server;
        _maintenance = (maintenance ?? []).ToDictionary(a => a.Kind);
        _downloader = downloader;
        _toolPath = toolPath;
        _power = power;
        _children = children ?? ChildHostCatalog.Empty;
        _childrenChanged = childrenChanged;
        _clock = clock ?? TimeProvider.System;
        _journal = new CommandJournal(Path.Combine(stateDir, "commands"));
        _reporter = new JournallingReporter(reporter, _journal);
        _journal.Prune(_clock.GetUtcNow() - JournalRetention);
    }

    /// <summary>
    /// Runs the command to completion and reports it; the caller runs this on a background task per request.
    /// Throws only if the reporter cannot send the result, which is journalled by then and is reported again on a repeat.
    /// </summary>
    public async Task HandleAsync(CommandRequest request)
    {
        var id = request.CommandId;
        var receivedAt = _clock.GetUtcNow();
        RunningCommand? running = null;
        CommandResultMessage? known = null;
        lock (_gate)
        {
            if (_running.ContainsKey(id)) return;
            var entry = _journal.Read(id);
            if (entry?.Result is { } recorded)
            {
                known = recorded;
            }
            else if (entry is not null)
            {
                known = new CommandResultMessage(id, CommandStatus.Failure, null, RestartedError, entry.StartedAt, receivedAt);
                TryRecordFinished(known);
            }
            else
            {
                try
                {
                    _journal.RecordStarted(id, receivedAt);
                    running = new RunningCommand();
                    _running[id] = running;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Without the journal a repeat could run the command twice, so it does not run at all.
                    known = Failed(id, receivedAt, $"Could not write the command journal: {e.Message}");
                }
            }
        }
        if (running is null)
        {
            await ReplayAsync(known!);
            return;
        }

        CommandResultMessage? result;
        try
        {
            result = request.Kind switch
            {
                CommandKind.Script => await RunScriptAsync(request, running, receivedAt),
                CommandKind.Reboot => await RunPowerAsync(request, PowerAction.Reboot, receivedAt),
                CommandKind.Shutdown => await RunPowerAsync(request, PowerAction.Shutdown, receivedAt),
                CommandKind.ChildStop => await RunChildAsync(request, stop: true, receivedAt),
                CommandKind.ChildStart => await RunChildAsync(request, stop: false, receivedAt),
                CommandKind.AgentUpdate or CommandKind.AgentRollback or CommandKind.ChildAgentInstall or CommandKind.RemoteAgentInstall =>
                    await RunMaintenanceAsync(request, receivedAt),
                _ => Failed(id, receivedAt, $"This agent does not know command kind {request.Kind}."),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            result = Failed(id, receivedAt, $"The agent failed while running this command: {e.Message}");
        }
        if (result is null)
        {
            // Handed to the launcher: this process is about to be replaced, and the next one journals the outcome.
            lock (_gate) _running.Remove(id);
            _handedOver?.Invoke();
            return;
        }
        // The result goes out first and is journalled while the server commits it: the journal's rewrite is off the path a
        // waiting caller sees. A repeat of the id arriving meanwhile still finds it running (and is ignored) until the journal
        // holds the result; if sending fails, the journal has it for the replay after the reconnect.
        Task reported;
        try
        {
            reported = _reporter.FinishedAsync(result);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reported = Task.FromException(e);
        }
        lock (_gate)
        {
            // The output that travels with the result is journalled like streamed output, so a replay sends it as a batch.
            if (result.Output is { Count: > 0 } tail) TryJournalOutput(new CommandOutputBatch(id, tail));
            TryRecordFinished(result with { Output = null });
            _running.Remove(id);
        }
        await reported;
        TryAcknowledge(id);
    }

    /// <summary>Reports every finished command the server has not acknowledged, with the output it kept (after a reconnect).</summary>
    public async Task ReplayUnacknowledgedAsync()
    {
        foreach (var entry in _journal.Unacknowledged())
        {
            lock (_gate) if (_running.ContainsKey(entry.CommandId)) continue;
            await ReplayAsync(entry.Result!);
        }
    }

    /// <summary>
    /// Output first, then the result: the server stores chunks it does not have yet (by sequence) and records the result;
    /// once it has answered, the journal forgets the output. Two replays of one id at once (the server's re-send and the
    /// agent's own replay after a reconnect) would only duplicate work, so the second one is skipped.
    /// </summary>
    private async Task ReplayAsync(CommandResultMessage result)
    {
        var id = result.CommandId;
        lock (_gate) if (!_replaying.Add(id)) return;
        try
        {
            var output = _journal.ReadOutput(id);
            var batch = new List<OutputChunkMessage>();
            var chars = 0;
            foreach (var chunk in output)
            {
                if (batch.Count > 0 && chars + chunk.Text.Length > OutputBatcher.MaxBatchChars)
                {
                    await _reporter.OutputAsync(new CommandOutputBatch(id, batch, Replayed: true));
                    batch = [];
                    chars = 0;
                }
                batch.Add(chunk);
                chars += chunk.Text.Length;
            }
            if (batch.Count > 0) await _reporter.OutputAsync(new CommandOutputBatch(id, batch, Replayed: true));
            await _reporter.FinishedAsync(result);
            TryAcknowledge(id);
        }
        finally
        {
            lock (_gate) _replaying.Remove(id);
        }
    }

    private void TryAcknowledge(Guid commandId)
    {
        try
        {
            _journal.MarkAcknowledged(commandId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Then it is replayed once more after the next reconnect; the server ignores what it already has.
        }
    }

    /// <summary>
    /// Keeps a command id as if it were running: a repeat of it is neither run nor answered until <see cref="Release"/>. For a
    /// version switch whose outcome this process can know only once the server has accepted it.
    /// </summary>
    public void Hold(Guid commandId)
    {
        lock (_gate) _running.TryAdd(commandId, new RunningCommand());
    }

    public void Release(Guid commandId)
    {
        lock (_gate) _running.Remove(commandId);
    }

    /// <summary>
    /// Journals the outcome of a command an earlier agent process handed over to the launcher, with a closing line of output;
    /// the replay of unacknowledged results reports it. A command already finished in the journal is left as it is.
    /// </summary>
    public void RecordHandedOverOutcome(Guid commandId, CommandStatus status, string? error, string line)
    {
        lock (_gate)
        {
            var entry = _journal.Read(commandId);
            if (entry?.Result is not null) return;
            var now = _clock.GetUtcNow();
            var sequence = _journal.ReadOutput(commandId).Select(c => c.Sequence).DefaultIfEmpty(0).Max() + 1;
            _journal.AppendOutput(new CommandOutputBatch(commandId, [new OutputChunkMessage(sequence, OutputStream.Stdout, line + "\n", now)]));
            _journal.RecordFinished(new CommandResultMessage(commandId, status, status == CommandStatus.Success ? 0 : null, error,
                entry?.StartedAt ?? now, now));
        }
    }

    /// <summary>Kills a running command's whole process tree; it then reports Cancelled. Unknown or finished ids are ignored.</summary>
    public Task CancelAsync(Guid commandId)
    {
        RunningCommand? running;
        lock (_gate) _running.TryGetValue(commandId, out running);
        running?.Kill(CommandStatus.Cancelled, CancelledError);
        return Task.CompletedTask;
    }

    private async Task<CommandResultMessage> RunScriptAsync(CommandRequest request, RunningCommand running, DateTimeOffset receivedAt)
    {
        var id = request.CommandId;
        if (request.TimeoutSeconds <= 0) return Failed(id, receivedAt, "A command needs a positive timeout.");
        string? switchTo = null;
        if (ScriptLaunch.NeedsUserSwitch(request.EffectiveUser))
        {
            switchTo = request.EffectiveUser!;
            if (!ScriptLaunch.IsValidUserName(switchTo)) return Failed(id, receivedAt, $"'{switchTo}' is not a valid user name.");
            if (!ScriptLaunch.IsRoot) return Failed(id, receivedAt, $"Cannot run as '{switchTo}': the agent is not running as root.");
        }

        // A private directory per command in the system's temporary directory: unlike the state directory it is always
        // reachable by the user the script runs as, and whatever the script leaves in it goes away with it.
        var workDir = Directory.CreateTempSubdirectory("fleet-command-");
        try
        {
            var scriptPath = ScriptLaunch.WriteScript(workDir, request.Script);
            if (switchTo is not null && await ScriptLaunch.GiveToAsync(switchTo, workDir) is { } refusal)
                return Failed(id, receivedAt, $"Cannot run as '{switchTo}': {refusal}");
            var start = ScriptLaunch.StartInfo(scriptPath, request.Script, switchTo, id, workDir, _toolPath);
            return await RunProcessAsync(request, running, start, receivedAt);
        }
        finally
        {
            try
            {
                workDir.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the system's cleaning of temporary files; not worth failing a finished command over.
            }
        }
    }

    private async Task<CommandResultMessage> RunProcessAsync(CommandRequest request, RunningCommand running, ProcessStartInfo start, DateTimeOffset receivedAt)
    {
        var id = request.CommandId;
        if (running.KilledAs is { } early) return new CommandResultMessage(id, early.Outcome, null, early.Error, receivedAt, _clock.GetUtcNow());
        if (_processSlots is null) return await RunStartedProcessAsync(request, running, start, receivedAt, null);
        await _processSlots.WaitAsync();
        var slot = new ProcessSlot(_processSlots);
        try
        {
            return await RunStartedProcessAsync(request, running, start, receivedAt, slot);
        }
        finally
        {
            slot.Release();
        }
    }

    /// <summary>One taken slot of <see cref="_processSlots"/>, given back once: when the process exits, or when running it fails.</summary>
    private sealed class ProcessSlot(SemaphoreSlim slots)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }

    private async Task<CommandResultMessage> RunStartedProcessAsync(CommandRequest request, RunningCommand running, ProcessStartInfo start,
        DateTimeOffset receivedAt, ProcessSlot? slot)
    {
        var id = request.CommandId;
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return Failed(id, receivedAt, $"Could not start '{start.FileName}': {e.Message}");
        }
        var startedAt = _clock.GetUtcNow();
        running.Attach(process);
        // Nothing is ever typed into a script: a command that reads stdin gets end-of-file instead of hanging until its timeout.
        process.StandardInput.Close();
        // Disposing the process leaves streams it handed out open (they are the caller's), so each command's two pipes would
        // stay open until a finalizer closed them: descriptors piling up between collections, and the closing done on the
        // finalizer thread (nearly half the simulator's samples in a 200-host exec profile). They are closed here when the command ends.
        using var stdout = process.StandardOutput;
        using var stderr = process.StandardError;

        var batcher = new OutputBatcher(id, _reporter, _clock);
        using var stopReading = new CancellationTokenSource();
        var readers = Task.WhenAll(
            PumpAsync(stdout, OutputStream.Stdout, batcher, stopReading.Token),
            PumpAsync(stderr, OutputStream.Stderr, batcher, stopReading.Token));
        using var stopTimer = new CancellationTokenSource();
        var timer = Task.CompletedTask;

        var timeoutError = $"Killed after {request.TimeoutSeconds} s (execution timeout)";
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(request.TimeoutSeconds), _clock))
        using (timeout.Token.Register(() => running.Kill(CommandStatus.Timeout, timeoutError)))
        {
            var exited = process.WaitForExitAsync();
            using var shortOver = new CancellationTokenSource();
            // A short command is reported by its result alone (started, output and outcome in one message). One still running
            // after the window is a long one: the server hears it started, and its output streams from then on.
            if (await Task.WhenAny(exited, Task.Delay(ShortCommandWindow, _clock, shortOver.Token)) != exited)
            {
                await TryReportAsync(() => _reporter.StartedAsync(id));
                await batcher.FlushAsync();
                timer = batcher.RunTimerAsync(stopTimer.Token);
            }
            await shortOver.CancelAsync();
            await exited;
        }
        // The process is gone: what is left (its last output, the report) costs no process slot.
        slot?.Release();
        using var stopGrace = new CancellationTokenSource();
        if (await Task.WhenAny(readers, Task.Delay(OutputDrainGrace, _clock, stopGrace.Token)) != readers)
        {
            stopReading.Cancel();
            await batcher.AppendAsync(OutputStream.Debug,
                $"[fleet-agent] Stopped reading output {OutputDrainGrace.TotalSeconds:0} s after the command exited: a background process it started still holds it open.\n".AsMemory());
        }
        await stopGrace.CancelAsync();
        await stopTimer.CancelAsync();
        await timer;
        // Read to the end as soon as the process exited: the rest of the output goes with the result, not after another interval.
        var rest = await batcher.CloseAsync();
        var tail = rest.Count == 0 ? null : rest;

        var finishedAt = _clock.GetUtcNow();
        if (running.KilledAs is { } killed) return new CommandResultMessage(id, killed.Outcome, null, killed.Error, startedAt, finishedAt, tail);
        var exitCode = process.ExitCode;
        return new CommandResultMessage(id, exitCode == 0 ? CommandStatus.Success : CommandStatus.Failure, exitCode, null, startedAt, finishedAt, tail);
    }

    private static async Task PumpAsync(StreamReader reader, OutputStream stream, OutputBatcher batcher, CancellationToken ct)
    {
        // Raw buffered reads, not ReadLine: partial lines show up as they are written and a huge line costs no more memory.
        var buffer = new char[16 * 1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), ct)) > 0)
                await batcher.AppendAsync(stream, buffer.AsMemory(0, read));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Reading was given up (see OutputDrainGrace) or the pipe broke; what was read has been kept.
        }
    }

    private async Task<CommandResultMessage> RunPowerAsync(CommandRequest request, PowerAction action, DateTimeOffset receivedAt)
    {
        var id = request.CommandId;
        PowerOptions options;
        try
        {
            options = string.IsNullOrWhiteSpace(request.Script) ? new PowerOptions() : JsonSerializer.Deserialize(request.Script, CommandScriptJsonContext.Default.PowerOptions) ?? new PowerOptions();
        }
        catch (JsonException e)
        {
            return Failed(id, receivedAt, $"Invalid {action.ToString().ToLowerInvariant()} options: {e.Message}");
        }
        var delay = TimeSpan.FromSeconds(Math.Max(0, options.DelaySeconds));
        await TryReportAsync(() => _reporter.StartedAsync(id));
        try
        {
            var limit = TimeSpan.FromSeconds(request.TimeoutSeconds > 0 ? request.TimeoutSeconds : 60);
            await _power.RequestAsync(action, delay, options.Message, options.Force).WaitAsync(limit, _clock);
        }
        catch (TimeoutException)
        {
            return new CommandResultMessage(id, CommandStatus.Timeout, null, $"The {action.ToString().ToLowerInvariant()} request did not return within {request.TimeoutSeconds} s.", receivedAt, _clock.GetUtcNow());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Failed(id, receivedAt, e.Message);
        }
        var said = delay == TimeSpan.Zero ? $"{action} requested now" : $"{action} scheduled in {delay.TotalSeconds:0} s";
        var now = _clock.GetUtcNow();
        await TryReportAsync(() => _reporter.OutputAsync(new CommandOutputBatch(id, [new OutputChunkMessage(1, OutputStream.Stdout, said + "\n", now)])));
        return new CommandResultMessage(id, CommandStatus.Success, null, null, receivedAt, now);
    }

    private async Task<CommandResultMessage> RunChildAsync(CommandRequest request, bool stop, DateTimeOffset receivedAt)
    {
        var id = request.CommandId;
        ChildHostAction? action;
        try
        {
            action = JsonSerializer.Deserialize(request.Script, CommandScriptJsonContext.Default.ChildHostAction);
        }
        catch (JsonException e)
        {
            return Failed(id, receivedAt, $"Invalid child host action: {e.Message}");
        }
        if (action is null || string.IsNullOrWhiteSpace(action.Name) || string.IsNullOrWhiteSpace(action.Type))
            return Failed(id, receivedAt, "A child host action needs the child's name and type.");
        await TryReportAsync(() => _reporter.StartedAsync(id));
        var verb = stop ? "stop" : "start";
        var wanted = stop ? "stopped" : "running";
        IChildHostProvider? provider = null;
        try
        {
            provider = _children.ProviderFor(action.Type);
            var limit = TimeSpan.FromSeconds(request.TimeoutSeconds > 0 ? request.TimeoutSeconds : 120);
            using var timeout = new CancellationTokenSource(limit, _clock);
            // Already where it should be (an instance that autostarted at boot): `lxc start` would fail on it.
            if (!await IsAsync(provider, action.Name, wanted, timeout.Token))
            {
                if (stop)
                    await provider.StopAsync(action.Name, TimeSpan.FromSeconds(Math.Max(1, action.TimeoutSeconds)), timeout.Token);
                else
                    await provider.StartAsync(action.Name, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return new CommandResultMessage(id, CommandStatus.Timeout, null, $"The {verb} of child host '{action.Name}' did not finish within {request.TimeoutSeconds} s.", receivedAt, _clock.GetUtcNow());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The tool may complain and still get there (e.g. it raced the engine's own autostart).
            if (provider is null || !await IsAsync(provider, action.Name, wanted, CancellationToken.None)) return Failed(id, receivedAt, e.Message);
        }
        finally
        {
            if (_childrenChanged is not null) await TryReportAsync(_childrenChanged);
        }
        var now = _clock.GetUtcNow();
        await TryReportAsync(() => _reporter.OutputAsync(new CommandOutputBatch(id, [new OutputChunkMessage(1, OutputStream.Stdout, $"{action.Type} child host '{action.Name}' {(stop ? "stopped" : "started")}\n", now)])));
        return new CommandResultMessage(id, CommandStatus.Success, 0, null, receivedAt, now);
    }

    /// <summary>Runs a built-in maintenance action; null when the action handed the outcome to the next agent process.</summary>
    private async Task<CommandResultMessage?> RunMaintenanceAsync(CommandRequest request, DateTimeOffset receivedAt)
    {
        var id = request.CommandId;
        if (!_maintenance.TryGetValue(request.Kind, out var action) || _server is null || _downloader is null)
            return Failed(id, receivedAt, $"This agent cannot run {request.Kind} commands.");
        await TryReportAsync(() => _reporter.StartedAsync(id));
        var sequence = 0;
        var outputGate = new SemaphoreSlim(1, 1);
        async Task Say(string line)
        {
            await outputGate.WaitAsync();
            try
            {
                var chunk = new OutputChunkMessage(++sequence, OutputStream.Stdout, line.EndsWith('\n') ? line : line + "\n", _clock.GetUtcNow());
                await TryReportAsync(() => _reporter.OutputAsync(new CommandOutputBatch(id, [chunk])));
            }
            finally
            {
                outputGate.Release();
            }
        }
        var context = new MaintenanceContext(id, _server, _stateDir, Say, _downloader, _clock);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(request.TimeoutSeconds > 0 ? request.TimeoutSeconds : 600), _clock);
        try
        {
            var outcome = await action.RunAsync(request.Script, context, timeout.Token);
            return outcome is null ? null : new CommandResultMessage(id, outcome.Status, outcome.ExitCode, outcome.Error, receivedAt, _clock.GetUtcNow());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new CommandResultMessage(id, CommandStatus.Timeout, null, $"Did not finish within {request.TimeoutSeconds} s.", receivedAt, _clock.GetUtcNow());
        }
        catch (Fleet.Domain.DomainException e)
        {
            return Failed(id, receivedAt, e.Message);
        }
    }

    private static async Task<bool> IsAsync(IChildHostProvider provider, string name, string status, CancellationToken ct)
    {
        try
        {
            return (await provider.ListAsync(ct)).Any(c => c.Name == name && c.Status == status);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return false;
        }
    }

    private CommandResultMessage Failed(Guid id, DateTimeOffset startedAt, string error) =>
        new(id, CommandStatus.Failure, null, error, startedAt, _clock.GetUtcNow());

    private void TryRecordFinished(CommandResultMessage result)
    {
        try
        {
            _journal.RecordFinished(result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The result is still reported; a repeat will then read "started" and say the outcome is unknown, never re-run.
        }
    }

    private void TryJournalOutput(CommandOutputBatch batch)
    {
        try
        {
            _journal.AppendOutput(batch);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Live delivery still goes ahead; only a replay after an outage would miss this output.
        }
    }

    /// <summary>Started and output are progress reports: losing one to a dropped connection must not stop the command.</summary>
    private static async Task TryReportAsync(Func<Task> report)
    {
        try
        {
            await report();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
    }

    /// <summary>Every output batch sent live is also appended to the journal, so what a dropped connection lost can be replayed.</summary>
    private sealed class JournallingReporter(ICommandReporter inner, CommandJournal journal) : ICommandReporter
    {
        public Task StartedAsync(Guid commandId) => inner.StartedAsync(commandId);

        public Task OutputAsync(CommandOutputBatch batch)
        {
            if (!batch.Replayed)
            {
                try
                {
                    journal.AppendOutput(batch);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Live delivery still goes ahead; only a replay after an outage would miss this batch.
                }
            }
            return inner.OutputAsync(batch);
        }

        public Task FinishedAsync(CommandResultMessage result) => inner.FinishedAsync(result);
    }

    internal sealed record PowerOptions(int DelaySeconds = 0, string? Message = null, bool Force = false);

    /// <summary>A command in flight; a kill can arrive before its process exists, and then it never starts.</summary>
    private sealed class RunningCommand
    {
        private readonly Lock _gate = new();
        private Process? _process;

        public (CommandStatus Outcome, string Error)? KilledAs { get; private set; }

        public void Attach(Process process)
        {
            lock (_gate)
            {
                _process = process;
                if (KilledAs is not null) KillTree(process);
            }
        }

        public void Kill(CommandStatus outcome, string error)
        {
            lock (_gate)
            {
                if (KilledAs is not null) return;
                if (_process is null)
                {
                    KilledAs = (outcome, error);
                    return;
                }
                // One that already exited on its own keeps its own outcome. Otherwise the kill is recorded
                // before it is attempted: killing a tree can throw after the signal landed (a child exiting
                // while the tree is walked), and the outcome must still say why the process died.
                if (HasExited(_process)) return;
                KilledAs = (outcome, error);
                KillTree(_process);
            }
        }

        private static bool HasExited(Process process)
        {
            try
            {
                return process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        private static void KillTree(Process process)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception or AggregateException)
            {
                // Part of the tree was already gone; what was still running has been signalled.
            }
        }
    }
}

/// <summary>The options of power and child-host commands, as the server writes them (snake_case).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CommandExecutor.PowerOptions))]
[JsonSerializable(typeof(ChildHostAction))]
internal sealed partial class CommandScriptJsonContext : JsonSerializerContext;
