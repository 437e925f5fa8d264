using Fleet.Domain;
using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Domain.Security;
using Fleet.Web.Audit;
using Fleet.Web.Data;
using Fleet.Web.Engine.AgentPackages;
using Fleet.Web.Engine.Execution;
using Fleet.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.AgentMaintenance;

/// <summary>
/// Creating agent maintenance tasks: each instance is checked on its own, refused with its own code or turned into an
/// <see cref="AgentInvocation"/> that runs as an ordinary engine job. The status projection is in
/// <c>AgentMaintenanceService.Follow.cs</c>, the reads in <c>AgentMaintenanceService.Reads.cs</c>.
/// </summary>
public sealed partial class AgentMaintenanceService(
    IDbContextFactory<FleetDbContext> dbFactory,
    InvocationService invocations,
    IAgentPackages packages,
    IAgentPresence presence,
    SensitiveValues sensitive,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<AgentMaintenanceService> logger) : IAgentMaintenance
{
    public async Task<IReadOnlyList<BatchCreateResult>> BatchCreateAsync(AgentInvocationRequest request, MaintenanceCaller caller, CancellationToken ct = default)
    {
        if (!Roles.Implied(caller.Role).Contains(request.Type.MinimumRole()))
            throw new UnauthorizedAccessException($"{request.Type.Word()} needs the {request.Type.MinimumRole()} role.");
        return request.Type switch
        {
            AgentInvocationType.Install => await EachAsync(request.InstanceIds, id => InstallAsync(id, AgentInvocationType.Install, null, request.Origin, caller, ct)),
            AgentInvocationType.Update => await UpdateAsync(request, caller, ct),
            AgentInvocationType.Rollback => await EachAsync(request.InvocationIds, id => RollbackAsync(id, null, request.Origin, caller, ct)),
            AgentInvocationType.Retry => await EachAsync(request.InvocationIds, id => RetryAsync(id, request.Origin, caller, ct)),
            AgentInvocationType.SetRemoteInstallHost => [await DesignateInstallerAsync(request.InstanceIds[0], caller, ct)],
            _ => await RemoteInstallAsync(request, caller, ct),
        };
    }

    /// <summary>One result per id in request order; an id named twice is answered once and refused the second time.</summary>
    private static async Task<IReadOnlyList<BatchCreateResult>> EachAsync(IReadOnlyList<string> ids, Func<string, Task<BatchCreateResult>> one)
    {
        var results = new List<BatchCreateResult>(ids.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in ids)
            results.Add(seen.Add(id) ? await OnItsOwnAsync(id, () => one(id)) : Refused(id, InstanceErrors.DuplicateInBatch));
        return results;
    }

    /// <summary>A rule one instance breaks on the way (a domain refusal) refuses that instance only, never the batch.</summary>
    private static async Task<BatchCreateResult> OnItsOwnAsync(string instanceId, Func<Task<BatchCreateResult>> one)
    {
        try
        {
            return await one();
        }
        catch (DomainException e)
        {
            return Refused(instanceId, InstanceErrors.NotStarted(e.Message));
        }
    }

    private static BatchCreateResult Refused(string instanceId, InstanceError error) => new(instanceId, null, false, error.Code, error.Message);

    private static BatchCreateResult Started(string instanceId, AgentInvocation invocation) => new(instanceId, invocation.Id, true, null, null);

    // ---- INSTALL (and the retry of any install) ----

    /// <param name="type">INSTALL, or REMOTE_INSTALL when retrying one (the retry keeps the task's type).</param>
    private async Task<BatchCreateResult> InstallAsync(string instanceId, AgentInvocationType type, string? retryOf, string? origin, MaintenanceCaller caller,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!Guid.TryParse(instanceId, out var id)) return Refused(instanceId, InstanceErrors.InstallConditions);
        var child = await db.ChildHosts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        var machine = child is null ? await db.RemoteMachines.FirstOrDefaultAsync(m => m.Id == id, ct) : null;
        // A managed host already has an agent; an unknown id is nothing Fleet could install on.
        if (child is null && machine is null) return Refused(instanceId, InstanceErrors.InstallConditions);
        var key = id.ToString("D");
        if (await HasEnrolledAgentAsync(db, key, machine, ct)) return Refused(instanceId, InstanceErrors.InstallConditions);
        if (await IsBusyAsync(db, key, ct)) return Refused(instanceId, InstanceErrors.Busy);
        var package = await packages.ForVersionTypeAsync(null, ct);
        if (package is null) return Refused(instanceId, InstanceErrors.NoPackage);

        if (child is not null)
        {
            var parent = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == child.ParentHostId, ct);
            if (parent is null || parent.Approval != HostApproval.Approved) return Refused(instanceId, InstanceErrors.InstallConditions);
            if (!presence.IsConnected(parent.Id)) return Refused(instanceId, InstanceErrors.ParentOffline);
            var invocation = new AgentInvocation(AgentInvocation.NewId(), type, key, InstanceKind.Child, child.Name, parent.Id, caller.Name, Now,
                targetVersion: package.Version, retryOf: retryOf, origin: origin);
            var ticket = InstallTickets.Issue(db, invocation.Id, Now);
            await db.SaveChangesAsync(ct);
            // The parent names the new agent after the child, so it is recognisable in the fleet whatever the container's own hostname.
            var order = new ChildAgentInstallOrder(child.Name, child.Type, package.Ref, new AgentInstallArgs(ticket, Hostname: child.Name));
            return await LaunchOneAsync(instanceId, MaintenanceSpecs.ChildInstall(order, parent.Id, sensitive.Seal(AgentMaintenanceJson.Write(order))),
                invocation, caller, ct);
        }
        // A registered machine asked for again (INSTALL, or RETRY after its credential was erased): the installer's own keys.
        return await RemoteLaunchAsync(db, instanceId, machine!, null, usePrivateKey: true, type, retryOf, origin, package, caller, ct);
    }

    /// <summary>An earlier install of this instance enrolled a host that is still in the fleet.</summary>
    private static async Task<bool> HasEnrolledAgentAsync(FleetDbContext db, string instanceId, RemoteMachine? machine, CancellationToken ct)
    {
        if (machine?.EnrolledHostId is { } enrolled && await db.Hosts.AnyAsync(h => h.Id == enrolled, ct)) return true;
        var hosts = await db.AgentInvocations.AsNoTracking()
            .Where(a => a.InstanceId == instanceId && a.Status == AgentInvocationStatus.Succeeded && a.EnrolledHostId != null)
            .Select(a => a.EnrolledHostId!.Value).ToListAsync(ct);
        return hosts.Count > 0 && await db.Hosts.AnyAsync(h => hosts.Contains(h.Id), ct);
    }

    private static Task<bool> IsBusyAsync(FleetDbContext db, string instanceId, CancellationToken ct) =>
        db.AgentInvocations.AnyAsync(a => a.InstanceId == instanceId &&
            (a.Status == AgentInvocationStatus.Waiting || a.Status == AgentInvocationStatus.Running), ct);

    // ---- REMOTE_INSTALL ----

    private async Task<IReadOnlyList<BatchCreateResult>> RemoteInstallAsync(AgentInvocationRequest request, MaintenanceCaller caller, CancellationToken ct)
    {
        var results = new List<BatchCreateResult>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var installer = await InstallerAsync(db, ct);
        var package = await packages.ForVersionTypeAsync(null, ct);
        for (var i = 0; i < request.RemoteInstallMeta.Count; i++)
        {
            var entry = request.RemoteInstallMeta[i];
            // Refused before a machine is registered, the entry has no id of its own: it is named by its place in the request.
            var placeholder = $"remote-{i + 1}";
            if (string.IsNullOrEmpty(entry.RemoteIp)) { results.Add(Refused(placeholder, InstanceErrors.RemoteIpMissing)); continue; }
            if (installer.Error is { } error) { results.Add(Refused(placeholder, error)); continue; }
            if (package is null) { results.Add(Refused(placeholder, InstanceErrors.NoPackage)); continue; }
            results.Add(await OnItsOwnAsync(placeholder, async () =>
            {
                var machine = new RemoteMachine(Guid.NewGuid(), entry.InstanceName, entry.RemoteIp, entry.Port, entry.UserName,
                    entry.Password is null ? null : sensitive.Seal(entry.Password), entry.UsePem, installer.HostId!.Value, Now);
                db.RemoteMachines.Add(machine);
                await db.SaveChangesAsync(ct);
                return await RemoteLaunchAsync(db, machine.Id.ToString("D"), machine, entry.Password, entry.UsePem || entry.Password is null,
                    AgentInvocationType.RemoteInstall, null, request.Origin, package, caller, ct);
            }));
        }
        return results;
    }

    private async Task<(Guid? HostId, InstanceError? Error)> InstallerAsync(FleetDbContext db, CancellationToken ct)
    {
        var designation = await db.RemoteInstaller.AsNoTracking().FirstOrDefaultAsync(ct);
        if (designation is null) return (null, InstanceErrors.NoInstaller);
        return presence.IsConnected(designation.HostId) ? (designation.HostId, null) : (null, InstanceErrors.InstallerOffline);
    }

    /// <param name="credential">The password or PEM key from the request, used once and never stored in the clear; null for the installer's own keys.</param>
    private async Task<BatchCreateResult> RemoteLaunchAsync(FleetDbContext db, string instanceId, RemoteMachine machine, string? credential, bool usePrivateKey,
        AgentInvocationType type, string? retryOf, string? origin, AgentPackage package, MaintenanceCaller caller, CancellationToken ct)
    {
        var installer = await InstallerAsync(db, ct);
        if (installer.Error is { } error) return Refused(instanceId, error);
        var invocation = new AgentInvocation(AgentInvocation.NewId(), type, machine.Id.ToString("D"), InstanceKind.Remote, machine.Name, installer.HostId!.Value,
            caller.Name, Now, targetVersion: package.Version, retryOf: retryOf, origin: origin);
        var ticket = InstallTickets.Issue(db, invocation.Id, Now);
        await db.SaveChangesAsync(ct);
        var order = new RemoteAgentInstallOrder(machine.Address, machine.Port, machine.UserName, credential, usePrivateKey, package.Ref,
            new AgentInstallArgs(ticket, Hostname: machine.Name == machine.Address ? null : machine.Name));
        return await LaunchOneAsync(instanceId, MaintenanceSpecs.RemoteInstall(order, installer.HostId.Value, sensitive.Seal(AgentMaintenanceJson.Write(order))),
            invocation, caller, ct);
    }

    // ---- SET_REMOTE_INSTALL_HOST ----

    private async Task<BatchCreateResult> DesignateInstallerAsync(string instanceId, MaintenanceCaller caller, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var host = Guid.TryParse(instanceId, out var id) ? await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct) : null;
        if (host is null) return Refused(instanceId, InstanceErrors.UnknownInstance);
        if (host.Approval != HostApproval.Approved) return Refused(instanceId, InstanceErrors.NotApproved);
        if (!presence.IsConnected(host.Id)) return Refused(instanceId, InstanceErrors.AgentOffline);
        var designation = await db.RemoteInstaller.FirstOrDefaultAsync(ct);
        if (designation is null) db.RemoteInstaller.Add(new RemoteInstallerDesignation(host.Id, caller.Name, Now));
        else designation.Designate(host.Id, caller.Name, Now);
        await db.SaveChangesAsync(ct);
        await RecordAsync(caller.Name, caller.Kind, "designate remote install host", $"host {host.Hostname} ({host.Id})", AuditOutcomes.Success);
        // Nothing runs, so there is no task id to give: the answer carries the host alone.
        return new BatchCreateResult(instanceId, null, true, null, null);
    }

    // ---- UPDATE ----

    private async Task<IReadOnlyList<BatchCreateResult>> UpdateAsync(AgentInvocationRequest request, MaintenanceCaller caller, CancellationToken ct)
    {
        var package = request.Version is { } version ? await packages.FindAsync(version, ct) : await packages.ForVersionTypeAsync(request.VersionType, ct);
        var packageError = package is not null ? null : request.Version is { } missing ? InstanceErrors.NoSuchVersion(missing) : InstanceErrors.NoPackage;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var results = new BatchCreateResult?[request.InstanceIds.Count];
        var planned = new List<(int Index, AgentInvocation Invocation)>();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < request.InstanceIds.Count; i++)
        {
            var instanceId = request.InstanceIds[i];
            var host = Guid.TryParse(instanceId, out var id) ? await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct) : null;
            InstanceError? error = host is null ? InstanceErrors.UnknownInstance
                : !seen.Add(host.Id) ? InstanceErrors.DuplicateInBatch
                : host.Approval != HostApproval.Approved ? InstanceErrors.NotApproved
                : packageError is not null ? packageError
                : !presence.IsConnected(host.Id) ? InstanceErrors.AgentOffline
                : host.AgentVersion == package!.Version ? InstanceErrors.AlreadyAtVersion(package.Version)
                : await IsBusyAsync(db, host.Id.ToString("D"), ct) ? InstanceErrors.Busy
                : null;
            if (error is not null) { results[i] = Refused(instanceId, error); continue; }
            planned.Add((i, new AgentInvocation(AgentInvocation.NewId(), AgentInvocationType.Update, host!.Id.ToString("D"), InstanceKind.Host, host.Hostname,
                host.Id, caller.Name, Now, versionBefore: NullIfEmpty(host.AgentVersion), targetVersion: package!.Version, origin: request.Origin)));
        }
        if (planned.Count > 0)
        {
            // One engine job for all hosts, so the waves and the failure threshold of the request apply across them.
            var spec = MaintenanceSpecs.Update(new AgentUpdateOrder(package!.Ref, MaintenanceSpecs.HealthDeadlineSeconds),
                planned.Select(p => p.Invocation.RunsOnHostId).ToList(), request.Waves, request.FailureThreshold);
            var launched = await LaunchAsync(spec, planned.Select(p => p.Invocation).ToList(), caller, ct);
            foreach (var (index, invocation) in planned)
                results[index] = launched.Error is { } failed ? Refused(request.InstanceIds[index], failed) : Started(request.InstanceIds[index], invocation);
        }
        return results.Select(r => r!).ToList();
    }

    // ---- ROLLBACK ----

    /// <param name="retryOf">Set when this ROLLBACK retries a failed one.</param>
    private async Task<BatchCreateResult> RollbackAsync(string invocationId, string? retryOf, string? origin, MaintenanceCaller caller, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var original = await db.AgentInvocations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == invocationId, ct);
        if (original is null) return Refused(invocationId, InstanceErrors.UnknownInvocation);
        if (original.Type != AgentInvocationType.Update) return Refused(original.InstanceId, InstanceErrors.NotAnUpdate);
        if (!original.CanBeRolledBack) return Refused(original.InstanceId, InstanceErrors.NothingToRollBack);
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == original.RunsOnHostId, ct);
        if (host is null) return Refused(original.InstanceId, InstanceErrors.UnknownInstance);
        if (!presence.IsConnected(host.Id)) return Refused(original.InstanceId, InstanceErrors.AgentOffline);
        if (await IsBusyAsync(db, original.InstanceId, ct)) return Refused(original.InstanceId, InstanceErrors.Busy);
        var invocation = new AgentInvocation(AgentInvocation.NewId(), AgentInvocationType.Rollback, original.InstanceId, InstanceKind.Host, host.Hostname, host.Id,
            caller.Name, Now, versionBefore: NullIfEmpty(host.AgentVersion), targetVersion: original.VersionBefore, retryOf: retryOf, rollbackOf: original.Id,
            origin: origin);
        var spec = MaintenanceSpecs.Rollback(new AgentRollbackOrder(original.VersionBefore!, MaintenanceSpecs.HealthDeadlineSeconds), host.Id);
        return await LaunchOneAsync(original.InstanceId, spec, invocation, caller, ct);
    }

    // ---- RETRY ----

    private async Task<BatchCreateResult> RetryAsync(string invocationId, string? origin, MaintenanceCaller caller, CancellationToken ct)
    {
        AgentInvocation? failed;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            failed = await db.AgentInvocations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == invocationId, ct);
        if (failed is null) return Refused(invocationId, InstanceErrors.UnknownInvocation);
        if (!failed.CanBeRetried) return Refused(failed.InstanceId, InstanceErrors.NotFailed);
        return failed.Type switch
        {
            AgentInvocationType.Install or AgentInvocationType.RemoteInstall => await InstallAsync(failed.InstanceId, failed.Type, failed.Id, origin, caller, ct),
            AgentInvocationType.Update => await RetryUpdateAsync(failed, origin, caller, ct),
            AgentInvocationType.Rollback => await RollbackAsync(failed.RollbackOf!, failed.Id, origin, caller, ct),
            _ => Refused(failed.InstanceId, InstanceErrors.NotRetryable),
        };
    }

    private async Task<BatchCreateResult> RetryUpdateAsync(AgentInvocation failed, string? origin, MaintenanceCaller caller, CancellationToken ct)
    {
        var package = failed.TargetVersion is { } version ? await packages.FindAsync(version, ct) : null;
        if (package is null) return Refused(failed.InstanceId, InstanceErrors.NoSuchVersion(failed.TargetVersion ?? "?"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == failed.RunsOnHostId, ct);
        if (host is null) return Refused(failed.InstanceId, InstanceErrors.UnknownInstance);
        if (!presence.IsConnected(host.Id)) return Refused(failed.InstanceId, InstanceErrors.AgentOffline);
        if (host.AgentVersion == package.Version) return Refused(failed.InstanceId, InstanceErrors.AlreadyAtVersion(package.Version));
        if (await IsBusyAsync(db, failed.InstanceId, ct)) return Refused(failed.InstanceId, InstanceErrors.Busy);
        var invocation = new AgentInvocation(AgentInvocation.NewId(), AgentInvocationType.Update, failed.InstanceId, InstanceKind.Host, host.Hostname, host.Id,
            caller.Name, Now, versionBefore: NullIfEmpty(host.AgentVersion), targetVersion: package.Version, retryOf: failed.Id, origin: origin);
        var spec = MaintenanceSpecs.Update(new AgentUpdateOrder(package.Ref, MaintenanceSpecs.HealthDeadlineSeconds), [host.Id], null, null);
        return await LaunchOneAsync(failed.InstanceId, spec, invocation, caller, ct);
    }

    // ---- running on the engine ----

    private async Task<BatchCreateResult> LaunchOneAsync(string instanceId, InvocationSpec spec, AgentInvocation invocation, MaintenanceCaller caller, CancellationToken ct)
    {
        var launched = await LaunchAsync(spec, [invocation], caller, ct);
        return launched.Error is { } error ? Refused(instanceId, error) : Started(instanceId, invocation);
    }

    /// <summary>
    /// Creates the engine job, then records the agent invocations linked to its target runs. The job may already have run by
    /// then (an agent that refuses at once), so the projection is run once right after linking.
    /// </summary>
    private async Task<(long? EngineInvocationId, InstanceError? Error)> LaunchAsync(InvocationSpec spec, IReadOnlyList<AgentInvocation> planned,
        MaintenanceCaller caller, CancellationToken ct)
    {
        long engineInvocationId;
        try
        {
            engineInvocationId = await invocations.CreateAsync(spec, caller.Name, null, ct);
        }
        catch (DomainException e)
        {
            await VoidTicketsAsync(planned, ct);
            return (null, InstanceErrors.NotStarted(e.Message));
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == engineInvocationId).Select(r => new { r.Id, r.HostId }).ToListAsync(ct);
            foreach (var invocation in planned)
            {
                var run = runs.FirstOrDefault(r => r.HostId == invocation.RunsOnHostId);
                if (run is not null) invocation.Attach(engineInvocationId, run.Id, Now);
                else invocation.Fail(Now, InstanceErrors.NotStarted("the host was not targeted (no longer approved)"));
                db.AgentInvocations.Add(invocation);
            }
            await db.SaveChangesAsync(ct);
        }
        foreach (var invocation in planned)
            await RecordAsync(caller.Name, caller.Kind, $"create agent {invocation.Type.Word()}", Describe(invocation), AuditOutcomes.Success);
        await FollowEngineInvocationAsync(engineInvocationId, ct);
        return (engineInvocationId, null);
    }

    private async Task VoidTicketsAsync(IReadOnlyList<AgentInvocation> planned, CancellationToken ct)
    {
        var ids = planned.Select(p => p.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var ticket in await db.InstallTickets.Where(t => ids.Contains(t.AgentInvocationId)).ToListAsync(ct)) ticket.Void(Now);
        await db.SaveChangesAsync(ct);
    }

    private Task RecordAsync(string actor, string actorKind, string action, string target, string outcome) =>
        audit.RecordAsync(new AuditEntry(actor, actorKind, actorKind == AuditActorKinds.System ? AuditSources.Engine : AuditSources.Api, action, target, "", outcome));

    private static string Describe(AgentInvocation invocation) =>
        $"agent invocation {invocation.Id} ({invocation.Type.Word()} {invocation.InstanceName}, {invocation.InstanceKind.Word()} {invocation.InstanceId})";

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private DateTimeOffset Now => clock.GetUtcNow();
}
