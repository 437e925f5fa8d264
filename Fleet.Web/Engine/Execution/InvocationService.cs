using System.Text.Json;
using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine.Execution;

/// <summary>
/// Creating, starting, recurring, cancelling and re-running invocations: the write side every façade
/// and page shares. Everything an invocation needs is written in one transaction; timing goes to Hangfire.
/// Reads are in <c>InvocationService.Reads.cs</c>, output in <c>InvocationService.Output.cs</c>.
/// </summary>
public sealed partial class InvocationService(
    IDbContextFactory<FleetDbContext> dbFactory,
    ExecutionEngine engine,
    AgentSender sender,
    IBackgroundJobClient jobs,
    IRecurringJobManager recurringJobs,
    JobStorage jobStorage,
    KeyedLocks locks,
    IClusterLock cluster,
    IFleetEvents events,
    TimeProvider clock,
    IOptions<LimitOptions> limits,
    Security.SensitiveValues sensitive,
    ILogger<InvocationService> logger) : IInvocationService
{
    public const int MaxTargets = 100_000;

    public async Task<long> CreateAsync(NewJob job, string owner, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await ChooseTemplateAsync(db, job, ct);
        var inputs = template.ResolveInputs(job.TemplateId is null && job.Feature is null ? new Dictionary<string, string> { ["command"] = job.AdHocCommand ?? "" } : job.Inputs);
        // The API façades check these per field; this holds for every other caller (the dashboard's wizard).
        foreach (var (name, value) in inputs)
            if (FieldLimits.InputValue(value) is { } tooLarge) throw new DomainException($"Input '{name}' {tooLarge}.", nameof(NewJob.Inputs));
        var script = template.Render(inputs);
        if (FieldLimits.Script(script, limits.Value.MaxScriptBytes) is { } tooLong) throw new DomainException($"The script {tooLong}.");
        var now = clock.GetUtcNow();
        RecurringLogic? logic = null;
        if (!string.IsNullOrWhiteSpace(job.CronLine))
        {
            logic = new RecurringLogic(job.CronLine, job.TimeZone, job.MaxIteration, job.EndTime, job.Purpose, now);
            if (logic.NextOccurrence is null) throw new DomainException($"The cron line '{job.CronLine}' never fires.", nameof(NewJob.CronLine));
        }
        else if (job.MaxIteration is not null || job.EndTime is not null)
        {
            throw new DomainException("A maximum number of iterations or an end time needs a recurrence (a cron line).", nameof(NewJob.CronLine));
        }
        if (job.BookmarkId is { } bookmarkId)
        {
            var bookmark = await db.Bookmarks.AsNoTracking().FirstOrDefaultAsync(b => b.Id == bookmarkId, ct)
                ?? throw new DomainException($"Bookmark {bookmarkId} does not exist.", nameof(NewJob.BookmarkId));
            job = job with { SearchQuery = bookmark.Query };
        }
        return await CreateAsync(Spec(job, template, inputs, script, logic), owner, logic, ct);
    }

    /// <summary>The invocation a job asks for: the template rendered with its inputs, the job's settings over the template's defaults.</summary>
    private InvocationSpec Spec(NewJob job, JobTemplate template, IReadOnlyDictionary<string, string> inputs, string script, RecurringLogic? logic)
    {
        // Sensitive values are stored only encrypted; the script kept in the clear is the masked one.
        var hasSensitive = template.Inputs.Any(i => i.Sensitive);
        return new InvocationSpec
        {
            JobCategory = template.JobCategory,
            Description = string.IsNullOrWhiteSpace(job.Description) ? template.Describe(inputs, job.DescriptionFormat) : job.Description,
            TemplateId = template.Id,
            TemplateName = template.Name,
            Feature = template.Feature,
            Origin = job.Origin,
            CommandKind = CommandKind.Script,
            Script = hasSensitive ? template.RenderMasked(inputs) : script,
            SealedScript = hasSensitive ? sensitive.Seal(script) : null,
            InputsJson = hasSensitive ? sensitive.SealInputs(template, inputs) : JsonSerializer.Serialize(inputs),
            EffectiveUser = string.IsNullOrWhiteSpace(job.EffectiveUser) ? template.EffectiveUser : job.EffectiveUser,
            TargetingType = job.Targeting,
            SearchQuery = job.SearchQuery,
            BookmarkId = job.BookmarkId,
            HostIds = job.HostIds,
            RandomizedOrdering = job.RandomizedOrdering,
            ConcurrencyLevel = job.ConcurrencyLevel,
            TimeToPickupSeconds = job.TimeToPickupSeconds,
            ExecutionTimeoutSeconds = job.ExecutionTimeoutSeconds ?? template.DefaultTimeoutSeconds,
            StartAt = logic?.NextOccurrence ?? job.StartAt,
            StartBefore = job.StartBefore,
            Waves = job.Waves,
            WavePauseSeconds = job.WavePauseSeconds,
            FailureThreshold = job.FailureThreshold,
            TargetRunTimeoutSeconds = job.TargetRunTimeoutSeconds,
        };
    }

    /// <summary>Creates an invocation from a resolved spec (façades that run built-in actions use this directly).</summary>
    /// <param name="numbered">Told the invocation's id before any of its runs can be dispatched (or the creation may still fail).</param>
    public async Task<long> CreateAsync(InvocationSpec spec, string owner, RecurringLogic? logic = null, CancellationToken ct = default,
        Action<long>? numbered = null)
    {
        spec.Validate();
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Static targets are fixed now; dynamic ones are resolved when each run starts.
        var hosts = spec.TargetingType == TargetingType.StaticQuery || spec.HostIds is { Count: > 0 }
            ? await TargetResolver.ResolveAsync(db, spec.SearchQuery, spec.HostIds, spec.RandomizedOrdering, ct)
            : null;
        if (spec.TargetingType == TargetingType.DynamicQuery && spec.HostIds is not { Count: > 0 })
            await TargetResolver.Query(db, spec.SearchQuery).AnyAsync(ct); // surfaces a syntax error now, not at start time
        if (hosts is { Count: > MaxTargets }) throw new DomainException($"An invocation may target at most {MaxTargets} hosts; this one matches {hosts.Count}.");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (logic is not null)
        {
            db.RecurringLogics.Add(logic);
            await db.SaveChangesAsync(ct);
            spec = spec with { RecurringLogicId = logic.Id };
        }
        var invocation = new Invocation(spec, owner, now);
        db.Invocations.Add(invocation);
        await db.SaveChangesAsync(ct);
        numbered?.Invoke(invocation.Id);
        logic?.AttachFirstInvocation(invocation.Id);
        var first = new StageRun(Guid.NewGuid(), invocation.Id, 0, now);
        db.StageRuns.Add(first);
        var runs = hosts is null ? new List<TargetRun>() : PlanRuns(db, invocation, first, hosts, now);
        if (invocation.State == InvocationState.Running) StartFirstWave(first, runs, now);
        // Alone on its database, an instance sends a command the moment its run is queued: the runs that may go now are
        // dispatched in this transaction, not by an engine pass after it (which would read back, claim and update what was
        // just written). Sharing it, an instance leaves them queued for the pass: any instance's engine may claim them, so
        // one whose engine stalled, or that cannot reach the agent, does not strand them. Thousands of hosts also go to the
        // pass, which sends them in slices beside the caller rather than before answering it.
        var ready = ExecutionEngine.FirstDispatch(invocation, runs).ToList();
        var dispatched = cluster.IsShared || ready.Count > MaxDispatchAtCreation ? [] : ExecutionEngine.Dispatch(invocation, ready, now);
        invocation.RecordProgress(RunCounts.From(runs.Select(r => r.Status)));
        await db.SaveChangesAsync(ct);
        // Up to 50,000 runs: set-based, a few statements instead of one INSERT per host through the change tracker.
        await BulkWrites.InsertAsync(db, runs, ct);
        await BulkWrites.InsertAsync(db, dispatched, ct);
        await transaction.CommitAsync(ct);

        Schedule(invocation, logic);
        events.Publish(new FleetEvent(FleetEventKind.InvocationChanged, Guid.Empty, now, invocation.Id));
        await engine.SendDispatchedAsync(invocation.Id, dispatched, now);
        return invocation.Id;
    }

    private const int MaxDispatchAtCreation = 1000;

    /// <summary>
    /// One target run per host, split into waves by the invocation's plan; the first wave is the stage run that exists already.
    /// Later waves' stage runs are added to <paramref name="db"/>; the runs are returned for the caller to store.
    /// </summary>
    private static List<TargetRun> PlanRuns(FleetDbContext db, Invocation invocation, StageRun first, IReadOnlyList<ResolvedHost> hosts, DateTimeOffset now)
    {
        var sizes = invocation.WavePlan.Split(hosts.Count);
        var runs = new List<TargetRun>(hosts.Count);
        for (int wave = 0, position = 0; wave < sizes.Count; wave++)
        {
            var stage = wave == 0 ? first : new StageRun(Guid.NewGuid(), invocation.Id, wave, now, sizes[wave]);
            if (wave == 0) stage.Plan(sizes[0]);
            else db.StageRuns.Add(stage);
            for (var i = 0; i < sizes[wave]; i++, position++)
                runs.Add(new TargetRun(Guid.NewGuid(), invocation.Id, stage.Id, hosts[position].Id, hosts[position].Hostname, now, position: position));
        }
        return runs;
    }

    private static void StartFirstWave(StageRun first, IEnumerable<TargetRun> runs, DateTimeOffset now)
    {
        first.Start(now);
        foreach (var run in runs.Where(r => r.StageRunId == first.Id && r.Status == TargetRunStatus.Pending)) run.Queue(now);
    }

    private void Schedule(Invocation invocation, RecurringLogic? logic, Jobs.WaitingJobs? waiting = null)
    {
        if (logic is not null)
        {
            ScheduleRecurring(logic);
        }
        else if (invocation.State == InvocationState.Scheduled && invocation.StartAt is { } startAt)
        {
            if (waiting?.Contains<InvocationJobs>(j => j.StartAsync(invocation.Id)) == true) return;
            jobs.Schedule<InvocationJobs>(j => j.StartAsync(invocation.Id), startAt);
        }
        else
        {
            engine.Kick(invocation.Id);
        }
    }

    private void ScheduleRecurring(RecurringLogic logic) =>
        recurringJobs.AddOrUpdate<InvocationJobs>(InvocationJobs.RecurringId(logic.Id), j => j.OccurAsync(logic.Id), logic.CronLine,
            new RecurringJobOptions { TimeZone = Fleet.Domain.Execution.Schedule.Zone(logic.TimeZone) });

    /// <summary>
    /// Re-creates Hangfire's view of time from the database after a restart: the database is the source of truth, and
    /// Hangfire's storage may have lost everything (in memory) or kept it (SQLite), so only what it lacks is added.
    /// </summary>
    public async Task ReconcileScheduleAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var active = await db.RecurringLogics.AsNoTracking().Where(l => l.State == RecurringState.Active).ToListAsync(ct);
        foreach (var logic in active) ScheduleRecurring(logic);
        RemoveEndedRecurrences(active.Select(l => InvocationJobs.RecurringId(l.Id)).ToHashSet());
        var waiting = Jobs.WaitingJobs.Read(jobStorage);
        var scheduled = await db.Invocations.AsNoTracking().Where(i => i.State == InvocationState.Scheduled && i.RecurringLogicId == null).ToListAsync(ct);
        foreach (var invocation in scheduled) Schedule(invocation, null, waiting);
        var running = await db.Invocations.AsNoTracking().Where(i => i.State == InvocationState.Running).Select(i => i.Id).ToListAsync(ct);
        foreach (var id in running) engine.Kick(id);
        if (scheduled.Count + running.Count > 0)
            logger.LogInformation("Reconciled {Scheduled} scheduled and {Running} running invocations", scheduled.Count, running.Count);
    }

    /// <summary>A recurrence that ended or was cancelled while Hangfire's storage was away from the database is dropped from it.</summary>
    private void RemoveEndedRecurrences(IReadOnlySet<string> active)
    {
        using var connection = jobStorage.GetConnection();
        foreach (var id in Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Select(j => j.Id))
            if (id.StartsWith(InvocationJobs.RecurringIdPrefix, StringComparison.Ordinal) && !active.Contains(id)) recurringJobs.RemoveIfExists(id);
    }

    public async Task StartScheduledAsync(long invocationId)
    {
        // Two deliveries of the same delayed job (or a start-up re-schedule beside a kept one) start it once: here by the
        // local lock, across instances by the invocation's cluster lock (the one its dispatch passes hold).
        using var held = await locks.EnterAsync($"invocation:{invocationId}");
        await cluster.RunForInvocationAsync(invocationId, async () =>
        {
            await StartScheduledHeldAsync(invocationId);
            return true;
        }, CancellationToken.None);
    }

    private async Task StartScheduledHeldAsync(long invocationId)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync();
        var invocation = await db.Invocations.FindAsync(invocationId);
        if (invocation is null || invocation.State != InvocationState.Scheduled) return;
        var runs = await db.TargetRuns.Where(r => r.InvocationId == invocationId).ToListAsync();
        var stages = await db.StageRuns.Where(s => s.InvocationId == invocationId).OrderBy(s => s.Index).ToListAsync();
        if (invocation.StartBefore is { } before && now > before)
        {
            var reason = $"Not started before {before:u} (start_before).";
            foreach (var run in runs.Where(r => r.Status.IsCancellable())) run.Cancel(now, reason);
            Rollout.HaltWaiting(stages, now, reason);
            invocation.Stop(now, reason);
        }
        else
        {
            invocation.Start(now);
            if (runs.Count == 0 && invocation.TargetingType == TargetingType.DynamicQuery)
            {
                runs = PlanRuns(db, invocation, stages[0], await TargetResolver.ResolveAsync(db, invocation.SearchQuery, null, invocation.RandomizedOrdering, default), now);
                db.TargetRuns.AddRange(runs);
            }
            if (stages[0].State == StageRunState.Waiting) StartFirstWave(stages[0], runs, now);
        }
        invocation.RecordProgress(RunCounts.From(runs.Select(r => r.Status)));
        await db.SaveChangesAsync();
        events.Publish(new FleetEvent(FleetEventKind.InvocationChanged, Guid.Empty, now, invocationId));
        engine.Kick(invocationId);
    }

    public async Task OccurAsync(long recurringLogicId)
    {
        long? first;
        bool firstIsWaiting;
        using (await locks.EnterAsync($"recurring-logic:{recurringLogicId}"))
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var now = clock.GetUtcNow();
            var logic = await db.RecurringLogics.FindAsync(recurringLogicId);
            if (logic is not null && logic.IsActive && logic.AlreadyOccurredFor(now)) return;
            if (logic is null || !logic.Occur(now))
            {
                recurringJobs.RemoveIfExists(InvocationJobs.RecurringId(recurringLogicId));
                if (logic is not null) await db.SaveChangesAsync();
                return;
            }
            if (!logic.IsActive) recurringJobs.RemoveIfExists(InvocationJobs.RecurringId(recurringLogicId));
            first = logic.FirstInvocationId;
            firstIsWaiting = first is { } id && await db.Invocations.AnyAsync(i => i.Id == id && i.State == InvocationState.Scheduled);
            await db.SaveChangesAsync();
        }
        if (first is not { } firstId) return;
        if (firstIsWaiting)
        {
            await StartScheduledAsync(firstId);
            return;
        }
        await RepeatAsync(firstId, RerunFilter.All, null, recurringLogicId);
    }

    public Task<long> RerunAsync(long invocationId, RerunFilter filter, string owner, CancellationToken ct = default) =>
        RepeatAsync(invocationId, filter, owner, null, ct);

    /// <summary>A new invocation like an earlier one: same script and settings, its targeting kept (dynamic queries re-evaluated).</summary>
    private async Task<long> RepeatAsync(long invocationId, RerunFilter filter, string? owner, long? recurringLogicId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var original = await db.Invocations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invocationId, ct)
            ?? throw new InvocationNotFoundException(invocationId);
        // A recurrence may always repeat (its template cannot be deleted); a person's rerun needs the template still there.
        if (recurringLogicId is null && original.TemplateId is { } templateId && !await db.JobTemplates.AnyAsync(t => t.Id == templateId, ct))
            throw new JobTemplateNotFoundException(templateId);
        var spec = original.ToSpec() with { RecurringLogicId = recurringLogicId };
        if (filter != RerunFilter.All || original.TargetingType == TargetingType.StaticQuery)
        {
            var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).OrderBy(r => r.Position)
                .Select(r => new { r.HostId, r.DeviceName, r.Status }).ToListAsync(ct);
            var chosen = runs.Where(r => filter switch
            {
                RerunFilter.FailedOnly => r.Status is TargetRunStatus.Failure or TargetRunStatus.Timeout or TargetRunStatus.Invalid,
                RerunFilter.SucceededOnly => r.Status == TargetRunStatus.Success,
                _ => true,
            }).ToList();
            if (chosen.Count == 0) throw new DomainException(filter == RerunFilter.FailedOnly ? "No host failed in this job; nothing to rerun." : "No host matches; nothing to rerun.");
            spec = spec with { HostIds = chosen.Select(r => r.HostId).ToList() };
            if (filter != RerunFilter.All) spec = spec with { SearchQuery = NameIn(chosen.Select(r => r.DeviceName)), BookmarkId = null };
        }
        return await CreateAsync(spec, owner ?? original.Owner, null, ct);
    }

    /// <summary>The host search that names exactly these hosts, as Foreman writes a rerun's targeting: <c>name ^ (a,b)</c>.</summary>
    public static string NameIn(IEnumerable<string> hostnames) => $"name ^ ({string.Join(",", hostnames)})";

    public async Task CancelAsync(long invocationId, bool force, string by, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var reason = $"Cancelled by {by}.";
        var running = new List<(Guid HostId, Guid CommandId)>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var invocation = await db.Invocations.FindAsync([invocationId], ct) ?? throw new InvocationNotFoundException(invocationId);
            if (invocation.State == InvocationState.Stopped)
                throw new DomainException($"Job invocation {invocationId} has already finished and cannot be cancelled");
            if (invocation.RecurringLogicId is { } logicId && await db.RecurringLogics.FindAsync([logicId], ct) is { } logic)
            {
                logic.Cancel();
                recurringJobs.RemoveIfExists(InvocationJobs.RecurringId(logicId));
            }
            var runs = await db.TargetRuns.Where(r => r.InvocationId == invocationId).ToListAsync(ct);
            Rollout.HaltWaiting(await db.StageRuns.Where(s => s.InvocationId == invocationId).ToListAsync(ct), now, reason);
            var commandIds = runs.Where(r => r.CommandId != null && !r.IsFinal).Select(r => r.CommandId!.Value).ToList();
            var commands = await db.Commands.Where(c => commandIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            foreach (var run in runs.Where(r => !r.IsFinal))
            {
                if (run.Status.IsCancellable())
                {
                    run.Cancel(now, reason);
                }
                else if (run.CommandId is { } commandId && commands.TryGetValue(commandId, out var command) && !command.IsFinal)
                {
                    running.Add((run.HostId, commandId));
                    // Not yet taken by the agent, or forced: end it here; otherwise the agent reports the kill.
                    if (command.Status == CommandStatus.Queued || force)
                    {
                        command.Cancel(now, reason);
                        run.FollowCommand(command.Status, now, reason);
                    }
                }
            }
            if (invocation.State == InvocationState.Scheduled || runs.All(r => r.IsFinal)) invocation.Stop(now, reason);
            invocation.RecordProgress(RunCounts.From(runs.Select(r => r.Status)));
            await db.SaveChangesAsync(ct);
        }
        foreach (var (hostId, commandId) in running) await sender.CancelCommandAsync(hostId, commandId);
        events.Publish(new FleetEvent(FleetEventKind.InvocationChanged, Guid.Empty, now, invocationId));
        engine.Kick(invocationId);
    }

    private static async Task<JobTemplate> ChooseTemplateAsync(FleetDbContext db, NewJob job, CancellationToken ct)
    {
        if (job.TemplateId is { } templateId)
            return await db.JobTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct)
                ?? throw new DomainException($"Job template {templateId} does not exist.", nameof(NewJob.TemplateId));
        if (job.Feature is { } feature)
            return await db.JobTemplates.AsNoTracking().OrderBy(t => t.Id).FirstOrDefaultAsync(t => t.Feature == feature, ct)
                ?? throw new DomainException($"'{feature}' is not a known remote execution feature.", nameof(NewJob.Feature));
        if (string.IsNullOrWhiteSpace(job.AdHocCommand)) throw new DomainException("Choose a job template or type a command to run.");
        return await db.JobTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Name == BuiltInTemplates.RunCommand, ct)
            ?? throw new DomainException($"The built-in template '{BuiltInTemplates.RunCommand}' is missing.");
    }
}
