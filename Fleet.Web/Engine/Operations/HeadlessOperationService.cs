using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Domain.Inventory;
using Fleet.Domain.Operations;
using Fleet.Web.Data;
using Fleet.Web.Engine.Execution;
using Fleet.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Operations;

/// <summary>
/// Headless operations on the engine: validates and stores them, hands their timing to Hangfire (the database stays
/// the source of truth), and starts each occurrence as an invocation of the type's built-in template.
/// </summary>
public sealed partial class HeadlessOperationService(
    IDbContextFactory<FleetDbContext> dbFactory,
    InvocationService invocations,
    IHostOperations hosts,
    IBackgroundJobClient jobs,
    IRecurringJobManager recurringJobs,
    JobStorage jobStorage,
    KeyedLocks locks,
    IFleetEvents events,
    TimeProvider clock,
    ILogger<HeadlessOperationService> logger) : IHeadlessOperations
{
    public const int MaxDevices = 1000;

    public async Task<OperationCreated> CreateAsync(OperationRequest request, string owner, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var problems = new List<OperationProblem>(request.Problems);
        var known = OperationTypes.TryParse(request.OperationType, out var type);
        if (!known)
            problems.Add(OperationProblem.At($"'{Clip(request.OperationType)}' is not an operation type; use one of {string.Join(", ", OperationTypes.WireNames)}.", "operation_type"));
        var parameters = known ? OperationParameters.Validate(type, request.Parameters) : (Values: new Dictionary<string, object?>(), Problems: []);
        problems.AddRange(parameters.Problems);
        problems.AddRange(request.Schedule.Problems(now));
        problems.AddRange(request.RetryPolicy.Problems());
        problems.AddRange(request.Notification.Problems());

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = await ResolveDevicesAsync(db, request.DeviceTargets, problems, ct);
        if (problems.Count > 0) throw new OperationInvalidException(problems);

        var operation = new HeadlessOperation(type, PlainJson.Serialize(parameters.Values), request.Schedule, request.RetryPolicy, request.Notification, owner, now, request.ListUrl);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.HeadlessOperations.Add(operation);
            await db.SaveChangesAsync(ct);
            db.OperationDevices.AddRange(devices.Select((d, i) => new OperationDevice(operation.Id, i, d.Id, d.Hostname)));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        Schedule(operation);
        var minutes = Math.Min(type.TypicalMinutes(), OperationParameters.TimeoutMinutes(type, parameters.Values));
        return new OperationCreated(operation.Id, operation.PublicId, type, devices.Select(d => d.Hostname).ToList(), now,
            operation.ScheduleType == ScheduleType.Immediate ? now : operation.NextExecution, minutes, parameters.Values, operation.Schedule, operation.NextExecution);
    }

    /// <summary>Each named device must be an approved host of the inventory; a hostname held by several hosts means the one seen last.</summary>
    private static async Task<List<(Guid Id, string Hostname)>> ResolveDevicesAsync(FleetDbContext db, IReadOnlyList<string> names, List<OperationProblem> problems, CancellationToken ct)
    {
        if (names.Count == 0) problems.Add(OperationProblem.At("device_targets must name at least one device.", "device_targets"));
        if (names.Count > MaxDevices)
        {
            problems.Add(OperationProblem.At($"device_targets may name at most {MaxDevices} devices.", "device_targets"));
            return [];
        }
        var distinct = names.Where(n => n.Length is > 0 and <= 255).Distinct(StringComparer.Ordinal).ToList();
        var found = await db.Hosts.AsNoTracking().Where(h => distinct.Contains(h.Hostname) && h.Approval == HostApproval.Approved)
            .Select(h => new { h.Id, h.Hostname, h.LastSeen }).ToListAsync(ct);
        var byName = found.GroupBy(h => h.Hostname).ToDictionary(g => g.Key, g => g.MaxBy(h => h.LastSeen)!.Id, StringComparer.Ordinal);
        var devices = new List<(Guid, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i])) problems.Add(OperationProblem.At($"'{Clip(names[i])}' is named twice.", "device_targets", i));
            else if (byName.TryGetValue(names[i], out var id)) devices.Add((id, names[i]));
            else problems.Add(OperationProblem.At($"'{Clip(names[i])}' is not an approved host in Fleet's inventory.", "device_targets", i));
        }
        return devices;
    }

    public const string RecurringIdPrefix = "headless-operation-";

    public static string RecurringId(long operationId) => $"{RecurringIdPrefix}{operationId}";

    /// <summary>The one key every step that reads and moves an operation's state holds (see <see cref="KeyedLocks"/>).</summary>
    private static string LockKey(long operationId) => $"operation:{operationId}";

    private void Schedule(HeadlessOperation operation, WaitingJobs? waiting = null)
    {
        switch (operation.ScheduleType)
        {
            case ScheduleType.Recurring when operation.State != OperationState.Finished:
                recurringJobs.AddOrUpdate<HeadlessOperationJobs>(RecurringId(operation.Id), j => j.OccurAsync(operation.Id), operation.Cron!,
                    new RecurringJobOptions { TimeZone = Fleet.Domain.Execution.Schedule.Zone(operation.TimeZone) });
                break;
            case ScheduleType.Once when operation.State == OperationState.Scheduled && operation.NextExecution is { } at:
                if (waiting?.Contains<HeadlessOperationJobs>(j => j.OccurAsync(operation.Id)) == true) break;
                jobs.Schedule<HeadlessOperationJobs>(j => j.OccurAsync(operation.Id), at);
                break;
            case ScheduleType.Immediate when operation.State == OperationState.Scheduled:
                InBackground(() => OccurAsync(operation.Id), operation.PublicId);
                break;
        }
    }

    /// <summary>
    /// Work that is due now runs here rather than as a Hangfire job: nothing to wait for, and no dependence on which
    /// host's container Hangfire activates jobs from (several servers in one process share its static configuration).
    /// </summary>
    private void InBackground(Func<Task> work, string what) => _ = Task.Run(async () =>
    {
        try
        {
            await work();
        }
        catch (Exception error)
        {
            logger.LogError(error, "Headless operation {Operation}: background step failed", what);
        }
    });

    /// <summary>
    /// At start-up: every operation still waiting for its time is registered with Hangfire again (whose storage may have
    /// lost it), recurring jobs of operations that ended meanwhile are dropped, and occurrences whose last invocation
    /// ended while the server was away are judged now.
    /// </summary>
    /// <returns>The occurrences that ended and whose notification is due.</returns>
    public async Task<IReadOnlyList<(long OperationId, int Occurrence)>> ReconcileAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = await db.HeadlessOperations.AsNoTracking().Where(o => o.State != OperationState.Finished).ToListAsync(ct);
        var kept = WaitingJobs.Read(jobStorage);
        foreach (var operation in waiting) Schedule(operation, kept);
        RemoveEndedRecurrences(waiting.Where(o => o.ScheduleType == ScheduleType.Recurring).Select(o => RecurringId(o.Id)).ToHashSet());
        var ended = await ResumeRunningAsync(db, kept, ct);
        if (waiting.Count > 0) logger.LogInformation("Re-registered {Count} headless operations", waiting.Count);
        return ended.Concat(await UnnotifiedAsync(db, ct)).Distinct().ToList();
    }

    private void RemoveEndedRecurrences(IReadOnlySet<string> active)
    {
        using var connection = jobStorage.GetConnection();
        foreach (var id in Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Select(j => j.Id))
            if (id.StartsWith(RecurringIdPrefix, StringComparison.Ordinal) && !active.Contains(id)) recurringJobs.RemoveIfExists(id);
    }

    /// <summary>Starts the occurrence that is due, once: a trigger that fires twice finds it started and does nothing.</summary>
    public async Task OccurAsync(long operationId, CancellationToken ct = default)
    {
        using var held = await locks.EnterAsync(LockKey(operationId), ct);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var operation = await db.HeadlessOperations.FindAsync([operationId], ct);
        if (operation is null)
        {
            recurringJobs.RemoveIfExists(RecurringId(operationId));
            return;
        }
        if (operation.BeginOccurrence(now) is not { } occurrence) return;
        if (operation.ScheduleType == ScheduleType.Recurring && operation.NextExecution is null) recurringJobs.RemoveIfExists(RecurringId(operationId));
        await db.SaveChangesAsync(ct);
        var devices = await db.OperationDevices.AsNoTracking().Where(d => d.OperationId == operationId).OrderBy(d => d.Position).ToListAsync(ct);
        await StartRunAsync(db, operation, occurrence, 1, devices, ct);
    }

    private async Task StartRunAsync(FleetDbContext db, HeadlessOperation operation, int occurrence, int attempt, IReadOnlyList<OperationDevice> devices, CancellationToken ct)
    {
        var parameters = OperationParameters.Validate(operation.Type, PlainJson.Deserialize(operation.ParametersJson)).Values;
        var hostIds = devices.Select(d => d.HostId).ToList();
        long invocationId;
        try
        {
            invocationId = await CreateInvocationAsync(db, operation, parameters, hostIds, ct);
        }
        catch (DomainException error)
        {
            logger.LogWarning("Headless operation {Operation} could not start: {Reason}", operation.PublicId, error.Message);
            operation.EndOccurrence();
            await db.SaveChangesAsync(ct);
            return;
        }
        // The location commits with the run's row: the operation cannot be seen finished before both exist, however fast the job is.
        if (operation.Type == OperationType.InventorySync) await SetLocationAsync(db, hostIds, parameters, ct);
        db.OperationRuns.Add(new OperationRun(operation.Id, occurrence, attempt, invocationId, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        // An invocation that ended before this row existed (a host gone offline at once) was passed over by the watcher: say it again.
        events.Publish(new FleetEvent(FleetEventKind.InvocationChanged, Guid.Empty, clock.GetUtcNow(), invocationId));
        if (operation.Type == OperationType.InventorySync) await RequestInventoryAsync(hostIds, parameters, ct);
    }

    private async Task<long> CreateInvocationAsync(FleetDbContext db, HeadlessOperation operation, IReadOnlyDictionary<string, object?> parameters,
        IReadOnlyList<Guid> hostIds, CancellationToken ct)
    {
        if (operation.Type == OperationType.Reboot)
        {
            var power = Orchestration.PowerActions.Power(CommandKind.Reboot, hostIds[0], (int)parameters["delay"]!, parameters["message"] as string,
                parameters["force"] is true, InvocationOrigin.HeadlessOperation);
            return await invocations.CreateAsync(power with { HostIds = hostIds, Description = $"Reboot ({operation.PublicId})" }, operation.Owner, null, ct);
        }
        var name = OperationTemplates.NameOf(operation.Type);
        var templateId = await db.JobTemplates.Where(t => t.Name == name).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct)
            ?? throw new DomainException($"The built-in template '{name}' is missing.");
        return await invocations.CreateAsync(new NewJob
        {
            TemplateId = templateId,
            Inputs = OperationParameters.AsTemplateInputs(parameters),
            HostIds = hostIds,
            Targeting = TargetingType.StaticQuery,
            ExecutionTimeoutSeconds = OperationParameters.TimeoutMinutes(operation.Type, parameters) * 60,
            Description = $"{operation.Type.WireName()} ({operation.PublicId})",
            Origin = InvocationOrigin.HeadlessOperation,
        }, operation.Owner, ct);
    }

    /// <summary>The location is an operator's attribute, set here (saved by the caller), not read from the agents.</summary>
    private static async Task SetLocationAsync(FleetDbContext db, IReadOnlyList<Guid> hostIds, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        if (parameters["update_location"] is not true) return;
        foreach (var host in await db.Hosts.Where(h => hostIds.Contains(h.Id)).ToListAsync(ct)) host.SetLocation(parameters["location"] as string);
    }

    /// <summary>The agents re-read and send the chosen inventory sections.</summary>
    private async Task RequestInventoryAsync(IReadOnlyList<Guid> hostIds, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        var sections = (parameters["sync_hardware"] is true ? InventorySections.Hardware | InventorySections.Storage | InventorySections.Network : InventorySections.None)
                       | (parameters["sync_software"] is true ? InventorySections.Software : InventorySections.None);
        if (sections != InventorySections.None) await hosts.RequestInventoryAsync(hostIds, sections, ct);
    }

    private static string Clip(string? text) => text is { Length: > 60 } ? text[..60] + "…" : text ?? "";
}
