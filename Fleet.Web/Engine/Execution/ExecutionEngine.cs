using System.Threading.Channels;
using Fleet.Domain;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fleet.Web.Engine.Execution;

/// <summary>Asks the engine to look at an invocation again (jobs that change target runs behind its back use this).</summary>
public interface IInvocationKicker
{
    void Kick(long invocationId);
}

/// <summary>
/// Moves target runs forward: advances waves, dispatches queued runs to agents within the concurrency
/// level, records each invocation's progress and closes it when all is done, and ends commands whose
/// pickup or execution deadline passed. What agents report is applied by <see cref="ResultWriter"/>,
/// which kicks the engine when runs moved. State changes are entity methods.
/// </summary>
public sealed class ExecutionEngine(
    IDbContextFactory<FleetDbContext> dbFactory,
    DbWriteBatcher writer,
    AgentSender sender,
    IFleetEvents events,
    TimeProvider clock,
    Security.SensitiveValues sensitive,
    IClusterLock cluster,
    ILogger<ExecutionEngine> logger) : BackgroundService, IInvocationKicker
{
    public const int DefaultTimeoutSeconds = 3600;
    // Large invocations dispatch in slices; the engine comes back for the next one.
    private const int MaxDispatchPerPass = 5000;
    // Every 5 s (sweep ticks are 1 s), invocations quiet for 5 s are looked at again.
    private const int StalledCheckTicks = 5;
    private static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(5);

    private readonly Channel<long> _kicks = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Asks the engine to look at an invocation: dispatch what may run now, or close it if all is done.</summary>
    public void Kick(long invocationId) => _kicks.Writer.TryWrite(invocationId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeper = SweepLoopAsync(stoppingToken);
        var pending = new HashSet<long>();
        try
        {
            while (await _kicks.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_kicks.Reader.TryRead(out var id)) pending.Add(id);
                foreach (var id in pending)
                {
                    try
                    {
                        await DispatchAsync(id, stoppingToken);
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        logger.LogError(error, "Dispatching invocation {InvocationId} failed", id);
                    }
                }
                pending.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await sweeper;
    }

    /// <summary>
    /// One pass over an invocation now, returning when it is done; what <see cref="Kick"/> asks for later. Passes over one
    /// invocation never overlap across the cluster: a pass started on another instance is waited for, never skipped.
    /// </summary>
    public Task DispatchNowAsync(long invocationId, CancellationToken ct = default) => DispatchAsync(invocationId, ct);

    // Serialized per invocation across instances (a PostgreSQL advisory lock; on SQLite there is one instance), so two
    // instances kicking the same invocation at once never both see the same run queued.
    private Task DispatchAsync(long invocationId, CancellationToken ct) =>
        cluster.RunForInvocationAsync(invocationId, async () =>
        {
            await DispatchPassAsync(invocationId, ct);
            return true;
        }, ct);

    /// <summary>One pass over an invocation. Its runs are counted once, and the count follows every run this pass moves.</summary>
    private async Task DispatchPassAsync(long invocationId, CancellationToken ct)
    {
        DateTimeOffset now;
        var toSend = new List<Command>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var invocation = await db.Invocations.FindAsync([invocationId], ct);
            if (invocation is null) return;
            var tally = await PassTally.ReadAsync(db, invocationId, ct);
            // Stamped after the read: a run whose end made room for the next ended (committed) before the next one is created.
            now = clock.GetUtcNow();
            await AdvanceWavesAsync(db, invocation, tally, now, ct);
            // SQLite's transaction for this pass's dispatch, committed with the progress below.
            IDbContextTransaction? dispatch = null;
            if (invocation.State == InvocationState.Running)
            {
                var inFlight = tally.Count(s => s is TargetRunStatus.Processing or TargetRunStatus.Dispatched or TargetRunStatus.Running);
                var room = (invocation.ConcurrencyLevel ?? int.MaxValue) - inFlight;
                if (room > 0)
                {
                    await using var claim = await RowLocks.BeginClaimAsync(db, ct);
                    var runs = await RowLocks.QueuedRuns(db, invocationId, Math.Min(room, MaxDispatchPerPass)).AsNoTracking().ToListAsync(ct);
                    // Thousands of runs at once: moved by their own methods, written set-based (a few statements, not two per host).
                    var moved = BulkWrites.Track(db, runs);
                    toSend.AddRange(Dispatch(invocation, runs, now, run => tally.Moved(run, TargetRunStatus.Queued)));
                    if (runs.Count > 0)
                    {
                        // On PostgreSQL the claimed rows commit with their claim; on SQLite they commit below with the progress.
                        if (claim is null) dispatch = await db.Database.BeginTransactionAsync(ct);
                        await moved.SaveAsync(ct);
                        await BulkWrites.InsertAsync(db, toSend, ct);
                    }
                    if (claim is not null) await claim.CommitAsync(ct);
                    if (runs.Count == MaxDispatchPerPass) Kick(invocationId);
                }
            }
            await using (dispatch)
            {
                var counts = tally.Counts();
                var wasStopped = invocation.State == InvocationState.Stopped;
                if (invocation.State == InvocationState.Running && counts.Running + counts.Pending == 0) invocation.Stop(now);
                var before = (invocation.Outcome, invocation.Counts);
                invocation.RecordProgress(counts);
                var progressed = before != (invocation.Outcome, invocation.Counts) || invocation.State == InvocationState.Stopped && !wasStopped;
                // The dispatched runs, their commands and the progress they make commit together: one commit before sending, not two.
                if (progressed) await db.SaveChangesAsync(ct);
                if (dispatch is not null) await dispatch.CommitAsync(ct);
                if (progressed) events.Publish(new FleetEvent(FleetEventKind.InvocationChanged, Guid.Empty, now, invocationId));
            }
        }
        await SendDispatchedAsync(invocationId, toSend, now);
    }

    /// <summary>
    /// Gives each queued run its command, moving the run by its own methods: what a pass dispatches, and what a new invocation
    /// dispatches in the transaction that creates it (<see cref="FirstDispatch"/>). The caller stores both and then sends the
    /// commands (<see cref="SendDispatchedAsync"/>).
    /// </summary>
    public static List<Command> Dispatch(Invocation invocation, IEnumerable<TargetRun> queued, DateTimeOffset now, Action<TargetRun>? moved = null)
    {
        var timeout = invocation.ExecutionTimeoutSeconds ?? DefaultTimeoutSeconds;
        var commands = new List<Command>();
        foreach (var run in queued)
        {
            run.BeginProcessing(now);
            var command = new Command(Guid.NewGuid(), run.Id, run.HostId, invocation.CommandKind, invocation.Script, invocation.EffectiveUser, timeout, now,
                invocation.SealedScript);
            if (invocation.TimeToPickupSeconds is { } pickup) command.RequirePickupWithin(TimeSpan.FromSeconds(pickup), now);
            run.AttachCommand(command.Id, now);
            moved?.Invoke(run);
            commands.Add(command);
        }
        return commands;
    }

    /// <summary>
    /// The runs of a new, running invocation that its creation dispatches at once on an instance alone on its database: the
    /// first wave's queued runs in position order, within the concurrency level and one pass's slice; a pass sends the rest
    /// as they may go. Its rows are not visible to any other writer before the creation commits, so no claim is needed.
    /// </summary>
    public static IEnumerable<TargetRun> FirstDispatch(Invocation invocation, IEnumerable<TargetRun> runs) => invocation.State != InvocationState.Running
        ? []
        : runs.Where(r => r.Status == TargetRunStatus.Queued).OrderBy(r => r.Position).Take(Math.Min(invocation.ConcurrencyLevel ?? int.MaxValue, MaxDispatchPerPass));

    /// <summary>Announces committed dispatches, then sends their commands to the agents.</summary>
    public async Task SendDispatchedAsync(long invocationId, IReadOnlyList<Command> commands, DateTimeOffset now)
    {
        if (commands.Count == 0) return;
        // Announce the dispatch before sending: sending to thousands of agents takes a while, and watchers should not wait for it.
        events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, now, invocationId));
        foreach (var command in commands) await SendAsync(command);
    }

    /// <summary>
    /// Completes finished waves, halts the rest when the failure threshold is reached (cancelling every
    /// target run not yet sent, with the reason), and starts the next wave when it is due. Every run moved
    /// here is recorded in <paramref name="tally"/>.
    /// </summary>
    private async Task AdvanceWavesAsync(FleetDbContext db, Invocation invocation, PassTally tally, DateTimeOffset now, CancellationToken ct)
    {
        var stages = await db.StageRuns.Where(s => s.InvocationId == invocation.Id).ToListAsync(ct);
        if (invocation.State != InvocationState.Running)
        {
            if (Rollout.Settle(stages, tally.Waves(), now)) await db.SaveChangesAsync(ct);
            return;
        }
        var counts = tally.Counts();
        var step = Rollout.Advance(stages, tally.Waves(), counts.Failed, counts.Total, invocation.Threshold, invocation.WavePause, invocation.HaltReason is not null, now);
        if (!step.Changed) return;
        if (step.HaltReason is { } reason)
        {
            invocation.Halt(reason);
            var unsent = await db.TargetRuns.Where(r => r.InvocationId == invocation.Id &&
                (r.Status == TargetRunStatus.Pending || r.Status == TargetRunStatus.Queued)).ToListAsync(ct);
            foreach (var run in unsent)
            {
                var from = run.Status;
                run.Cancel(now, reason);
                tally.Moved(run, from);
            }
            logger.LogInformation("Invocation {InvocationId}: {Reason}", invocation.Id, reason);
        }
        if (step.Started is { } wave)
        {
            var pending = await db.TargetRuns.Where(r => r.StageRunId == wave.Id && r.Status == TargetRunStatus.Pending).ToListAsync(ct);
            foreach (var run in pending)
            {
                run.Queue(now);
                tally.Moved(run, TargetRunStatus.Pending);
            }
        }
        await db.SaveChangesAsync(ct);
        events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, now, invocation.Id));
    }

    /// <summary>Creates the command of one target run and sends it to the host (seed 004's POST .../command).</summary>
    public async Task<Command> CommandTargetRunAsync(Guid targetRunId, string? script, int? timeoutSeconds, CancellationToken ct)
    {
        // Under the same cluster-wide lock as a dispatch pass over its invocation, so the run cannot be dispatched there too.
        long? owner;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            owner = await db.TargetRuns.AsNoTracking().Where(r => r.Id == targetRunId).Select(r => (long?)r.InvocationId).FirstOrDefaultAsync(ct);
        if (owner is null) throw new DomainException($"Target run {targetRunId} does not exist.");
        return await cluster.RunForInvocationAsync(owner.Value, () => CommandTargetRunOnceAsync(targetRunId, script, timeoutSeconds, ct), ct);
    }

    private async Task<Command> CommandTargetRunOnceAsync(Guid targetRunId, string? script, int? timeoutSeconds, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Command command;
        long invocationId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var run = await db.TargetRuns.FindAsync([targetRunId], ct) ?? throw new DomainException($"Target run {targetRunId} does not exist.");
            var invocation = await db.Invocations.FindAsync([run.InvocationId], ct) ?? throw new DomainException("The target run's invocation is gone.");
            if (run.CommandId is not null) throw new DomainException($"Target run {targetRunId} already has command {run.CommandId}.");
            if (run.Status == TargetRunStatus.Pending) run.Queue(now);
            if (run.Status == TargetRunStatus.Queued) run.BeginProcessing(now);
            if (run.Status != TargetRunStatus.Processing)
                throw new DomainException($"Target run is {run.Status.Wire()}; a command can only be created for a pending, queued or processing target run.");
            if (invocation.State == InvocationState.Scheduled) invocation.Start(now);
            var own = !string.IsNullOrWhiteSpace(script);
            command = new Command(Guid.NewGuid(), run.Id, run.HostId, invocation.CommandKind, own ? script! : invocation.Script,
                invocation.EffectiveUser, timeoutSeconds ?? invocation.ExecutionTimeoutSeconds ?? DefaultTimeoutSeconds, now, own ? null : invocation.SealedScript);
            if (invocation.TimeToPickupSeconds is { } pickup) command.RequirePickupWithin(TimeSpan.FromSeconds(pickup), now);
            run.AttachCommand(command.Id, now);
            db.Commands.Add(command);
            await db.SaveChangesAsync(ct);
            invocationId = run.InvocationId;
        }
        await SendAsync(command);
        events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, command.HostId, now, invocationId));
        Kick(invocationId);
        return command;
    }

    /// <summary>Cancels one command: at once if the agent has not taken it, otherwise by asking the agent to kill it.</summary>
    public async Task CancelCommandAsync(Guid commandId, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Command command;
        long? invocationId = null;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // On PostgreSQL an agent's report may be landing on another instance right now: it is waited for, then read.
            await using var claim = await RowLocks.BeginClaimAsync(db, ct);
            await RowLocks.LockCommandsAsync(db, [commandId], ct);
            command = await db.Commands.FindAsync([commandId], ct) ?? throw new DomainException($"Command {commandId} does not exist.");
            if (command.IsFinal) throw new DomainException($"Command {commandId} already ended as {command.Status.Wire()}.");
            if (command.Status == CommandStatus.Queued)
            {
                command.Cancel(now, $"Cancelled by {by}.");
                invocationId = await FollowAsync(db, command, now, command.Error);
                await db.SaveChangesAsync(ct);
            }
            if (claim is not null) await claim.CommitAsync(ct);
        }
        if (invocationId is { } id)
        {
            events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, command.HostId, now, id));
            Kick(id);
        }
        await sender.CancelCommandAsync(command.HostId, commandId);
    }

    private async Task SendAsync(Command command)
    {
        try
        {
            // The only place a sealed script is opened: on its way to the agent, never stored or logged.
            var script = command.SealedScript is { } sealedScript ? sensitive.Open(sealedScript) : command.Script;
            await sender.RunCommandAsync(command.HostId, new CommandRequest(command.Id, command.Kind, script, command.EffectiveUser, command.TimeoutSeconds));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            logger.LogError("Command {CommandId} holds sensitive input values that the Data Protection key ring cannot decrypt " +
                            "(was the keys folder of the data folder lost or replaced?); it was not sent", command.Id);
        }
        catch (Exception error)
        {
            // The command stays queued; it is sent again when the agent reconnects.
            logger.LogWarning("Could not send command {CommandId} to host {HostId}: {Error}", command.Id, command.HostId, error.Message);
        }
    }

    /// <summary>Re-sends every unfinished command of a host whose agent just connected. The agent runs each id at most once.</summary>
    public async Task DeliverPendingAsync(Guid hostId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var commands = await db.Commands.AsNoTracking()
            .Where(c => c.HostId == hostId && (c.Status == CommandStatus.Queued || c.Status == CommandStatus.Initiated ||
                                               c.Status == CommandStatus.Acknowledged || c.Status == CommandStatus.InProgress))
            .ToListAsync();
        foreach (var command in commands) await SendAsync(command);
    }

    private static async Task<long?> FollowAsync(FleetDbContext db, Command command, DateTimeOffset now, string? reason)
    {
        var run = await db.TargetRuns.FindAsync(command.TargetRunId);
        if (run is null) return null;
        run.FollowCommand(command.Status, now, command.IsFinal ? reason ?? command.Error : null);
        return run.InvocationId;
    }

    private async Task SweepLoopAsync(CancellationToken ct)
    {
        var ticks = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    // Once across the cluster: an instance that finds another sweeping skips this tick.
                    await cluster.TryRunAsync("execution-sweep", async token =>
                    {
                        await SweepDeadlinesAsync(token);
                        await KickDueWavesAsync(token);
                        // Alone on its database, this instance kicks its own invocations and re-reads them at start-up.
                        if (cluster.IsShared && ++ticks % StalledCheckTicks == 0) await KickStalledAsync(token);
                    }, ct);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "The deadline sweep failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Looks again at running invocations nothing has moved for a while that still have runs to send, or none left open: with
    /// several instances, the one whose kicks would have dispatched or closed them may have died. A pass over an invocation
    /// with nothing to do changes nothing.
    /// </summary>
    public async Task KickStalledAsync(CancellationToken ct = default)
    {
        var quietSince = clock.GetUtcNow() - StalledAfter;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stalled = await db.Invocations.AsNoTracking()
            .Where(i => i.State == InvocationState.Running && !db.TargetRuns.Any(r => r.InvocationId == i.Id && r.UpdatedAt > quietSince))
            .Where(i => db.TargetRuns.Any(r => r.InvocationId == i.Id && r.Status == TargetRunStatus.Queued) ||
                        !db.TargetRuns.Where(TargetRun.Unfinished).Any(r => r.InvocationId == i.Id))
            .Select(i => i.Id).Take(1000).ToListAsync(ct);
        foreach (var id in stalled) Kick(id);
    }

    /// <summary>Looks again at invocations whose paused wave became due.</summary>
    public async Task KickDueWavesAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.StageRuns.AsNoTracking().Where(s => s.State == StageRunState.Waiting && s.StartsAt != null && s.StartsAt <= now)
            .Select(s => s.InvocationId).Distinct().ToListAsync(ct);
        foreach (var id in due) Kick(id);
    }

    /// <summary>Ends commands nobody picked up in time, and commands whose agent never answered within their timeout.</summary>
    public async Task SweepDeadlinesAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var touched = new HashSet<long>();
        await writer.WriteAsync(async db =>
        {
            touched.Clear();
            var missed = await db.Commands.Where(c => c.Status == CommandStatus.Queued && c.PickupDeadline != null && c.PickupDeadline < now).ToListAsync(ct);
            foreach (var command in missed)
            {
                var waited = command.PickupDeadline!.Value - command.CreatedAt;
                command.Finish(CommandStatus.Failure, null, $"The host did not pick up the job within {waited.TotalSeconds:0} s (time_to_pickup).", now);
                if (await FollowAsync(db, command, now, command.Error) is { } id) touched.Add(id);
            }
            var silent = await db.Commands.Where(c => (c.Status == CommandStatus.InProgress || c.Status == CommandStatus.Initiated) &&
                                                      c.ResultDeadline != null && c.ResultDeadline < now).ToListAsync(ct);
            foreach (var command in silent)
            {
                command.Finish(CommandStatus.Timeout, null, $"No result from the agent within the {command.TimeoutSeconds} s execution timeout.", now);
                if (await FollowAsync(db, command, now, command.Error) is { } id) touched.Add(id);
            }
        });
        foreach (var id in touched)
        {
            events.Publish(new FleetEvent(FleetEventKind.TargetRunChanged, Guid.Empty, now, id));
            Kick(id);
        }
    }
}
