using System.Security.Cryptography;
using System.Text;
using Fleet.Domain;
using Fleet.Domain.Agents;
using Fleet.Domain.Hosts;
using Fleet.Domain.Inventory;
using Fleet.Web.Data;
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
    DbWriteBatcher writer,
    IDbContextFactory<FleetDbContext> dbFactory,
    IFleetEvents events,
    AgentSender sender,
    HeartbeatRecorder heartbeats,
    LocalAgentIdentity localAgent,
    Execution.ExecutionEngine execution,
    Execution.ResultWriter results,
    IOptionsMonitor<AgentOptions> options,
    TimeProvider clock,
    ILogger<AgentGateway> logger)
{
    public async Task<HelloResult> HelloAsync(HubCallerContext connection, AgentHello hello)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(hello.MachineId) || hello.MachineId.Length > 200 ||
            string.IsNullOrWhiteSpace(hello.Hostname) || hello.Hostname.Length > 255)
            return Refuse("Hello needs a machine id (≤ 200 chars) and a hostname (≤ 255 chars).");

        if (hello.HostId is { } hostId && !string.IsNullOrEmpty(hello.Secret))
            return await AuthenticateAsync(connection, hello, hostId, hello.Secret, settings);

        var autoApprove = settings.AutoApprove || localAgent.Matches(hello.EnrollmentToken);
        if (!autoApprove && !TokenMatches(hello.EnrollmentToken, settings.EnrollmentToken))
            return Refuse("Unknown enrolment token.");
        return await EnrolAsync(connection, hello, autoApprove, settings);
    }

    private async Task<HelloResult> AuthenticateAsync(HubCallerContext connection, AgentHello hello, Guid hostId, string secret, AgentOptions settings)
    {
        var now = clock.GetUtcNow();
        var outcome = await writer.WriteAsync(async db =>
        {
            var host = await db.Hosts.FindAsync(hostId);
            if (host is null || host.MachineId != hello.MachineId || !Secrets.Matches(secret, host.SecretHash)) return (ManagedHost?)null;
            if (host.Approval != HostApproval.Approved) return null;
            host.ConfirmSecret(now);
            host.MarkOnline(now);
            return host;
        });
        if (outcome is null) return Refuse("Unknown host or wrong secret.");
        return Accept(connection, outcome, issuedSecret: null, hello, settings);
    }

    private async Task<HelloResult> EnrolAsync(HubCallerContext connection, AgentHello hello, bool autoApprove, AgentOptions settings)
    {
        var now = clock.GetUtcNow();
        string? issuedSecret = null;
        var created = false;
        var host = await writer.WriteAsync(async db =>
        {
            issuedSecret = null;
            created = false;
            var host = db.Hosts.Local.FirstOrDefault(h => h.MachineId == hello.MachineId)
                ?? await db.Hosts.FirstOrDefaultAsync(h => h.MachineId == hello.MachineId);
            if (host is null)
            {
                host = new ManagedHost(Guid.NewGuid(), hello.MachineId, hello.Hostname, now);
                db.Hosts.Add(host);
                created = true;
            }
            if (host.Approval == HostApproval.Pending && autoApprove) host.Approve(now);
            if (host.CanIssueSecret)
            {
                issuedSecret = Secrets.NewToken("fhs_");
                host.IssueSecret(Secrets.Hash(issuedSecret));
                host.MarkOnline(now);
            }
            return host;
        });

        if (created) events.Publish(new FleetEvent(FleetEventKind.HostEnrolled, host.Id, now));
        if (issuedSecret is not null) return Accept(connection, host, issuedSecret, hello, settings);
        if (host.Approval == HostApproval.Rejected) return Refuse($"Host '{host.Hostname}' was rejected by an operator.");
        if (host.Approval == HostApproval.Approved)
            return Refuse($"Host '{host.Hostname}' is already enrolled and its agent holds a secret; use that agent's state directory, or remove the host to enrol again.");

        registry.Wait(host.Id, connection);
        logger.LogInformation("Host {Hostname} ({HostId}) is waiting for approval", host.Hostname, host.Id);
        return new HelloResult(HelloOutcome.PendingApproval, host.Id, null, false, settings.HeartbeatSeconds,
            "Waiting for an operator to approve this host.");
    }

    private HelloResult Accept(HubCallerContext connection, ManagedHost host, string? issuedSecret, AgentHello hello, AgentOptions settings)
    {
        registry.Accept(host.Id, connection, clock.GetUtcNow(), string.IsNullOrWhiteSpace(hello.BootId) ? null : hello.BootId.Trim())?.Abort();
        heartbeats.Seen(host.Id);
        events.Publish(new FleetEvent(FleetEventKind.HostOnline, host.Id, clock.GetUtcNow()));
        _ = DeliverPendingRequestsAsync(host.Id);
        _ = execution.DeliverPendingAsync(host.Id);
        var sendInventory = host.InventoryHash is null || host.InventoryHash != hello.InventoryHash;
        return new HelloResult(HelloOutcome.Accepted, host.Id, issuedSecret, sendInventory, settings.HeartbeatSeconds, null);
    }

    private static HelloResult Refuse(string message) => new(HelloOutcome.Refused, null, null, false, 0, message);

    private static bool TokenMatches(string? presented, string expected) =>
        !string.IsNullOrEmpty(presented) && !string.IsNullOrEmpty(expected) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

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
                // A newer connection of the same host may already be in place; then it stays online.
                if (registry.IsConnected(hostId)) return;
                var host = await db.Hosts.FindAsync(hostId);
                host?.Seen(heartbeats.LastSeen(hostId) ?? now);
                host?.MarkOffline();
            });
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not mark host {HostId} offline", hostId);
        }
        if (!registry.IsConnected(hostId)) events.Publish(new FleetEvent(FleetEventKind.HostOffline, hostId, now));
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
