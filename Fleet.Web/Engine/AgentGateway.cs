using Fleet.Domain;
using Fleet.Domain.Agents;
using Fleet.Domain.Hosts;
using Fleet.Domain.Inventory;
using Fleet.Web.Data;
using Fleet.Web.Hubs;
using Fleet.Web.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine;

/// <summary>
/// What happens when agents talk to the server: enrolment, authentication, heartbeats, inventory and
/// disconnects. The hub only forwards to this class, so it can be read and tested in one place.
/// </summary>
public sealed class AgentGateway(
    AgentRegistry registry,
    IAgentPresence presence,
    DbWriteBatcher writer,
    IDbContextFactory<FleetDbContext> dbFactory,
    IFleetEvents events,
    AgentSender sender,
    HeartbeatRecorder heartbeats,
    LocalAgentIdentity localAgent,
    EnrollmentTokens enrollmentTokens,
    AgentMaintenance.InstallTickets installTickets,
    Execution.ExecutionEngine execution,
    Execution.ResultWriter results,
    IOptionsMonitor<AgentOptions> options,
    TimeProvider clock,
    ILogger<AgentGateway> logger)
{
    public async Task<HelloResult> HelloAsync(HubCallerContext connection, AgentHello hello)
    {
        var settings = options.CurrentValue;
        if (hello is null || string.IsNullOrWhiteSpace(hello.MachineId) || hello.MachineId.Length > 200 ||
            string.IsNullOrWhiteSpace(hello.Hostname) || hello.Hostname.Length > 255)
            return Refuse("Hello needs a machine id (≤ 200 chars) and a hostname (≤ 255 chars).");
        if (registry.AcceptedHostOf(connection.ConnectionId) is not null) return Refuse("This connection already said hello.");

        // A host id with a secret is a claim to an identity: it is checked and either accepted or refused, never
        // turned into an enrolment, so a wrong secret can neither change the host nor fall back to the token.
        if (hello.HostId is { } hostId && !string.IsNullOrEmpty(hello.Secret))
            return await AuthenticateAsync(connection, hello, hostId, hello.Secret, settings);

        // The enrolment token is required in every mode: auto-approval decides who needs an operator, not who may ask.
        var local = localAgent.Matches(hello.EnrollmentToken);
        if (local || await enrollmentTokens.MatchesAsync(hello.EnrollmentToken))
            return await EnrolAsync(connection, hello, local, settings.AutoApprove || local, settings);
        // A single-use install ticket: an operator asked for this install (seed 003), so the host enrols approved.
        if (await installTickets.IsUsableAsync(hello.EnrollmentToken))
            return await EnrolAsync(connection, hello, false, true, settings, hello.EnrollmentToken);
        return Refuse("Unknown enrolment token.");
    }

    private async Task<HelloResult> AuthenticateAsync(HubCallerContext connection, AgentHello hello, Guid hostId, string secret, AgentOptions settings)
    {
        var now = clock.GetUtcNow();
        var bootId = Clean(hello.BootId);
        var address = AddressOf(connection);
        var outcome = await writer.WriteAsync(async db =>
        {
            var host = await db.Hosts.FindAsync(hostId);
            if (host is null || host.MachineId != hello.MachineId || host.Approval != HostApproval.Approved ||
                !Secrets.Matches(secret, host.SecretHash)) return new Authentication(null, false);
            // Two agents holding the same identity at once (a cloned VM image with its state directory): the one already
            // connected keeps it and the host is flagged, instead of the two taking turns at dropping each other.
            if (presence.ConnectionOf(hostId) is { } live && live != connection.ConnectionId &&
                presence.BootIdOf(hostId) is { } liveBoot && bootId is not null && liveBoot != bootId)
            {
                host.FlagDuplicate($"Agents with boot ids {liveBoot} ({host.AgentAddress ?? "?"}) and {bootId} ({address ?? "?"}) both hold this host's secret.", now);
                return new Authentication(host, true);
            }
            host.ConfirmSecret(now);
            host.MarkOnline(now);
            host.RecordAgent(address, bootId);
            return new Authentication(host, false);
        });
        if (outcome.Host is null) return Refuse("Unknown host or wrong secret.");
        if (outcome.Duplicate)
        {
            logger.LogWarning("Host {HostId}: a second agent with the same secret and boot id {BootId} connected from {Address}; kept the connected one", hostId, bootId, address);
            events.Publish(new FleetEvent(FleetEventKind.HostDuplicate, hostId, now));
            throw new HubException("Another agent with this host's identity and a different boot id is connected; try again later.");
        }
        return await AcceptAsync(connection, outcome.Host, hello, settings);
    }

    /// <param name="installTicket">The install ticket presented instead of the enrolment token; spent in the enrolment's transaction.</param>
    private async Task<HelloResult> EnrolAsync(HubCallerContext connection, AgentHello hello, bool local, bool autoApprove, AgentOptions settings,
        string? installTicket = null)
    {
        var now = clock.GetUtcNow();
        var address = AddressOf(connection);
        var bootId = Clean(hello.BootId);
        var decision = await writer.WriteAsync(async db =>
        {
            var host = db.Tracked<ManagedHost>().FirstOrDefault(h => h.MachineId == hello.MachineId)
                ?? await db.Hosts.FirstOrDefaultAsync(h => h.MachineId == hello.MachineId);
            var created = false;
            var hostId = host?.Id ?? Guid.NewGuid();
            // Checked again here, in the write: two agents racing with one ticket get one enrolment between them.
            if (installTicket is not null && (host?.Approval == HostApproval.Rejected ||
                                              !await AgentMaintenance.InstallTickets.RedeemAsync(db, installTicket, hostId, now)))
                return new Enrolment(host!, false, EnrolStep.RefuseTicket);
            if (host is null)
            {
                host = new ManagedHost(hostId, hello.MachineId, hello.Hostname, now);
                db.Hosts.Add(host);
                created = true;
            }
            if (host.Approval == HostApproval.Rejected) return new Enrolment(host, created, EnrolStep.Refuse);
            // Auto-approval only ever applies to a machine nobody has been approved for yet.
            if (host.Approval == HostApproval.Pending && autoApprove) host.Approve(now);
            if (host.Approval == HostApproval.Pending) return new Enrolment(host, created, EnrolStep.WaitForApproval);

            // Approved, and no agent ever received a secret: the agent that waited for the approval takes it (or, if it
            // left, the next one with the token).
            var waiting = registry.WaitingConnectionOf(host.Id);
            if (host.CanIssueFirstSecret && (waiting is null || waiting.ConnectionId == connection.ConnectionId))
            {
                var secret = Secrets.NewToken("fhs_");
                host.IssueFirstSecret(Secrets.Hash(secret), now);
                return new Enrolment(host, created, EnrolStep.Issue, secret);
            }

            // Its first secret was issued but never confirmed, and no connection holds it or is confirming it: the agent
            // lost its connection mid-handshake and asks again. A host ever re-enrolled is left to its operator.
            if (host.HasUnconfirmedSecret && !presence.IsConnected(host.Id) && !registry.IsConfirming(host.Id) &&
                (waiting is null || waiting.ConnectionId == connection.ConnectionId) &&
                !await db.ReenrolmentRequests.AnyAsync(r => r.HostId == host.Id && r.Status == ReenrolmentStatus.Completed))
            {
                var secret = Secrets.NewToken("fhs_");
                host.ReissueUnconfirmedSecret(Secrets.Hash(secret), now);
                return new Enrolment(host, created, EnrolStep.Issue, secret);
            }

            var open = await db.ReenrolmentRequests.Where(r => r.HostId == host.Id &&
                (r.Status == ReenrolmentStatus.Pending || r.Status == ReenrolmentStatus.Approved)).ToListAsync();
            var approved = open.FirstOrDefault(r => r.Status == ReenrolmentStatus.Approved);
            // The server's own agent (its token never leaves this process), or the very connection an operator approved.
            if (local || (approved is not null && registry.ReenrollingConnectionOf(host.Id)?.ConnectionId == connection.ConnectionId))
            {
                var secret = Secrets.NewToken("fhs_");
                host.ReplaceSecret(Secrets.Hash(secret), now);
                approved?.Complete(now);
                host.ClearDuplicate();
                return new Enrolment(host, created, EnrolStep.Issue, secret, Replaced: true);
            }

            // Someone else holds this identity: nothing about the host changes; an operator decides.
            approved?.Supersede(now);
            var request = open.FirstOrDefault(r => r.Status == ReenrolmentStatus.Pending);
            if (request is null)
            {
                request = new ReenrolmentRequest(Guid.NewGuid(), host.Id, hello.Hostname, address, bootId, host.AgentAddress, host.AgentBootId, now);
                db.ReenrolmentRequests.Add(request);
            }
            else
            {
                request.Renew(hello.Hostname, address, bootId, now);
            }
            var duplicate = presence.IsConnected(host.Id) && presence.BootIdOf(host.Id) is { } liveBoot && bootId is not null && liveBoot != bootId;
            if (duplicate)
                host.FlagDuplicate($"An agent without the secret (boot id {bootId}, {address ?? "?"}) asked for this machine id while the agent with boot id {presence.BootIdOf(host.Id)} is connected.", now);
            return new Enrolment(host, created, EnrolStep.WaitForReenrolment, Duplicate: duplicate);
        });

        var host = decision.Host;
        if (decision.Step == EnrolStep.RefuseTicket) return Refuse("Unknown enrolment token.");
        if (decision.Created) events.Publish(new FleetEvent(FleetEventKind.HostEnrolled, host.Id, now));
        switch (decision.Step)
        {
            case EnrolStep.Refuse:
                return Refuse($"Host '{host.Hostname}' was rejected by an operator.");
            case EnrolStep.Issue:
                if (decision.Replaced)
                {
                    // The old agent's secret is gone; its connection, if still open here, is told so and closed.
                    await sender.RefuseAcceptedAsync(host.Id, "This host's identity was given to a re-enrolled agent.", exceptConnection: connection.ConnectionId);
                    events.Publish(new FleetEvent(FleetEventKind.HostReenrolled, host.Id, now));
                }
                registry.AwaitConfirmation(host.Id, connection, hello);
                await ForgetIfGoneAsync(connection);
                return new HelloResult(HelloOutcome.SecretIssued, host.Id, decision.Secret, false, settings.HeartbeatSeconds,
                    "Store this secret and confirm it to be accepted.");
            case EnrolStep.WaitForReenrolment:
                registry.WaitForReenrolment(host.Id, connection);
                await ForgetIfGoneAsync(connection);
                events.Publish(new FleetEvent(FleetEventKind.ReenrolmentRequested, host.Id, now));
                if (decision.Duplicate) events.Publish(new FleetEvent(FleetEventKind.HostDuplicate, host.Id, now));
                logger.LogWarning("Host {Hostname} ({HostId}): an agent without its secret asked to enrol from {Address}; waiting for an operator", host.Hostname, host.Id, address);
                return new HelloResult(HelloOutcome.PendingApproval, host.Id, null, false, settings.HeartbeatSeconds,
                    "Another agent holds this host's identity; an operator must approve this re-enrolment.");
            default:
                registry.Wait(host.Id, connection);
                await ForgetIfGoneAsync(connection);
                logger.LogInformation("Host {Hostname} ({HostId}) is waiting for approval", host.Hostname, host.Id);
                return new HelloResult(HelloOutcome.PendingApproval, host.Id, null, false, settings.HeartbeatSeconds,
                    "Waiting for an operator to approve this host.");
        }
    }

    /// <summary>
    /// Second step of a handshake that issued a secret: the agent sends back what it stored. Only then is the connection
    /// accepted and the host's pending work delivered, so an agent that could not keep its secret never gets work.
    /// </summary>
    public async Task<HelloResult> ConfirmSecretAsync(HubCallerContext connection, string? secret)
    {
        var settings = options.CurrentValue;
        if (registry.TakeConfirmation(connection.ConnectionId) is not { } pending)
            return Refuse("There is no secret to confirm on this connection.");
        if (string.IsNullOrEmpty(secret) || secret.Length > 200) return Refuse("The secret does not match the one issued.");
        var now = clock.GetUtcNow();
        var address = AddressOf(connection);
        var host = await writer.WriteAsync(async db =>
        {
            var host = await db.Hosts.FindAsync(pending.HostId);
            if (host is null || host.Approval != HostApproval.Approved || !Secrets.Matches(secret, host.SecretHash)) return null;
            host.ConfirmSecret(now);
            host.MarkOnline(now);
            host.RecordAgent(address, Clean(pending.Hello.BootId));
            return host;
        });
        if (host is null) return Refuse("The secret does not match the one issued.");
        return await AcceptAsync(connection, host, pending.Hello, settings);
    }

    private async Task<HelloResult> AcceptAsync(HubCallerContext connection, ManagedHost host, AgentHello hello, AgentOptions settings)
    {
        var accepted = Accept(connection, host, hello, settings);
        await ForgetIfGoneAsync(connection);
        return accepted;
    }

    private HelloResult Accept(HubCallerContext connection, ManagedHost host, AgentHello hello, AgentOptions settings)
    {
        registry.Accept(host.Id, connection, clock.GetUtcNow(), Clean(hello.BootId))?.Abort();
        Gate(connection)?.MarkAccepted();
        heartbeats.Seen(host.Id);
        events.Publish(new FleetEvent(FleetEventKind.HostOnline, host.Id, clock.GetUtcNow()));
        _ = DeliverPendingRequestsAsync(host.Id);
        _ = execution.DeliverPendingAsync(host.Id);
        var sendInventory = host.InventoryHash is null || host.InventoryHash != hello.InventoryHash;
        return new HelloResult(HelloOutcome.Accepted, host.Id, null, sendInventory, settings.HeartbeatSeconds, null);
    }

    private static HelloResult Refuse(string message) => new(HelloOutcome.Refused, null, null, false, 0, message);

    private static AgentConnectionGate? Gate(HubCallerContext connection) => connection.Features.Get<AgentConnectionGate>();

    /// <summary>
    /// A connection can close while its hello is being answered; if it did, its disconnect already ran and found nothing
    /// to remove, so what was just registered for it would stay forever (a host "confirming" a secret nobody holds).
    /// </summary>
    private async Task ForgetIfGoneAsync(HubCallerContext connection)
    {
        if (connection.ConnectionAborted.IsCancellationRequested) await DisconnectedAsync(connection.ConnectionId);
    }

    private static string? AddressOf(HubCallerContext connection) => connection.GetHttpContext()?.Connection.RemoteIpAddress?.ToString();

    private static string? Clean(string? bootId) => string.IsNullOrWhiteSpace(bootId) ? null : bootId.Trim();

    private sealed record Authentication(ManagedHost? Host, bool Duplicate);

    private enum EnrolStep { Refuse, RefuseTicket, WaitForApproval, Issue, WaitForReenrolment }

    private sealed record Enrolment(ManagedHost Host, bool Created, EnrolStep Step, string? Secret = null, bool Replaced = false, bool Duplicate = false);

    public void Heartbeat(string connectionId)
    {
        if (registry.AcceptedHostOf(connectionId) is { } hostId) heartbeats.Seen(hostId);
    }

    public async Task ReportInventoryAsync(string connectionId, InventoryUpload upload)
    {
        if (registry.AcceptedHostOf(connectionId) is not { } hostId) throw new HubException("Say hello first.");
        if (upload.Report?.Facts is null) throw new HubException("An inventory upload needs the host facts.");
        var now = clock.GetUtcNow();
        await writer.WriteAsync(async db =>
        {
            var host = await db.Hosts.FindAsync(hostId);
            if (host is null) return;
            host.ApplyFacts(upload.Report.Facts, now);
            host.ReportError(upload.Report.CollectionError);
            host.RecordInventory(upload.Sections.HasFlag(InventorySections.All) ? upload.Hash : null, now);
            await InventoryStore.SaveAsync(db, hostId, upload.Report, now);
            if (upload.RequestId is { } requestId)
            {
                var request = await db.InventoryRequests.FindAsync(requestId);
                if (request is not null && request.HostId == hostId) request.CompletedAt ??= now;
            }
        });
        events.Publish(new FleetEvent(FleetEventKind.InventoryUpdated, hostId, now));
    }

    public async Task ReportChildHostsAsync(string connectionId, ChildHostReport report)
    {
        if (registry.AcceptedHostOf(connectionId) is not { } hostId) throw new HubException("Say hello first.");
        if (report?.Children is null) throw new HubException("A child host report needs its list of children.");
        if (report.Children.Count > ChildHostStore.MaxChildren) throw new HubException($"At most {ChildHostStore.MaxChildren} child hosts per report.");
        var now = clock.GetUtcNow();
        var changed = await writer.WriteAsync(db => ChildHostStore.SaveAsync(db, hostId, report, now));
        if (changed) events.Publish(new FleetEvent(FleetEventKind.ChildHostsChanged, hostId, now));
    }

    public Task CommandStartedAsync(string connectionId, Guid commandId) => results.StartedAsync(AcceptedHost(connectionId), commandId);

    public Task CommandOutputAsync(string connectionId, CommandOutputBatch batch) => results.OutputAsync(AcceptedHost(connectionId), batch);

    public Task CommandFinishedAsync(string connectionId, CommandResultMessage result) => results.FinishedAsync(AcceptedHost(connectionId), result);

    private Guid AcceptedHost(string connectionId) => registry.AcceptedHostOf(connectionId) ?? throw new HubException("Say hello first.");

    public async Task DisconnectedAsync(string connectionId)
    {
        if (registry.Remove(connectionId) is not { } hostId) return;
        var now = clock.GetUtcNow();
        try
        {
            await writer.WriteAsync(async db =>
            {
                // A newer connection of the same host may already be in place, here or on another instance; then it stays online.
                if (presence.IsConnected(hostId)) return;
                var host = await db.Hosts.FindAsync(hostId);
                host?.Seen(heartbeats.LastSeen(hostId) ?? now);
                host?.MarkOffline(now);
            });
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not mark host {HostId} offline", hostId);
        }
        if (!presence.IsConnected(hostId)) events.Publish(new FleetEvent(FleetEventKind.HostOffline, hostId, now));
    }

    /// <summary>Sends the refresh requests a host missed while offline.</summary>
    private async Task DeliverPendingRequestsAsync(Guid hostId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var pending = await db.InventoryRequests.AsNoTracking()
                .Where(r => r.HostId == hostId && r.CompletedAt == null)
                .Select(r => new { r.Id, r.Sections })
                .ToListAsync();
            foreach (var request in pending) await sender.CollectInventoryAsync(hostId, new InventoryRequest(request.Id, request.Sections));
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not deliver pending inventory requests to host {HostId}", hostId);
        }
    }
}
