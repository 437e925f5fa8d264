using System.Text;
using Fleet.Domain;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

public sealed record HostCommandResult(Guid HostId, string Hostname, Guid TargetRunId, TargetRunStatus Status, int? ExitCode, string Stdout, string Stderr,
    double ExecutionSeconds, string? Reason)
{
    /// <summary>
    /// A run's result as a seed 001 caller is told it, whether read back or handed over by the result writer: stdout and
    /// stderr from its output chunks (given in sequence order), seconds from the command's own times, the run's reason
    /// before the command's error.
    /// </summary>
    public static HostCommandResult Of(Guid hostId, string hostname, Guid targetRunId, TargetRunStatus status, string? runReason, int? exitCode,
        string? commandError, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, IEnumerable<(OutputStream Stream, string Text)> output)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        foreach (var (stream, text) in output) (stream == OutputStream.Stderr ? stderr : stdout).Append(text);
        var seconds = startedAt is { } started && finishedAt is { } finished ? (finished - started).TotalSeconds : 0;
        return new HostCommandResult(hostId, hostname, targetRunId, status, exitCode, stdout.ToString(), stderr.ToString(), Math.Round(seconds, 3),
            runReason ?? commandError);
    }
}

/// <param name="BatchId">The invocation's task id; null when no named host could run the command (nothing was created).</param>
/// <param name="Unknown">Hostnames with no approved host, in the order asked.</param>
public sealed record BroadcastOutcome(Guid? BatchId, int Requested, IReadOnlyList<HostCommandResult> Ran, IReadOnlyList<string> Unknown);

/// <summary>
/// The synchronous host commands of seed 001: run an invocation on the engine like any job, and wait (up to a
/// limit) for its results. The work is visible in the dashboard like every other job.
/// </summary>
public sealed class CommandRunner(InvocationService invocations, IDbContextFactory<FleetDbContext> dbFactory, IFleetEvents events, IAgentPresence presence,
    RunOutcomes outcomes)
{
    /// <summary>Runs a command on the approved, connected host of that name and waits for its result.</summary>
    /// <exception cref="HostNotFoundException">No host has that name.</exception>
    /// <exception cref="DomainException">The host is not approved or its agent is offline; nothing was sent.</exception>
    public async Task<HostCommandResult> RunOnHostAsync(string hostname, string command, int timeoutSeconds, string owner, CancellationToken ct)
    {
        Guid hostId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Hostnames are not unique across re-enrolments: the approved host, then the one seen last, is the one meant.
            var host = await db.Hosts.AsNoTracking().Where(h => h.Hostname == hostname)
                .OrderByDescending(h => h.Approval == HostApproval.Approved).ThenByDescending(h => h.LastSeen)
                .Select(h => new { h.Id, h.Approval }).FirstOrDefaultAsync(ct) ?? throw new HostNotFoundException(hostname);
            if (host.Approval != HostApproval.Approved) throw new DomainException($"Host '{hostname}' is not approved.");
            hostId = host.Id;
        }
        if (!presence.IsConnected(hostId)) throw new DomainException($"Agent '{hostname}' is offline; the command was not sent.");
        var spec = Script(command, [hostId], timeoutSeconds, InvocationOrigin.FleetCommand, concurrency: null);
        var (_, results) = await RunAsync(spec, owner, TimeSpan.FromSeconds(timeoutSeconds + 5), ct);
        return results[0];
    }

    /// <summary>Runs a command on every approved host named (blank and repeated names count once) and waits for the results.</summary>
    public async Task<BroadcastOutcome> BroadcastAsync(string command, IReadOnlyList<string> hostnames, int timeoutSeconds, bool parallel, string owner,
        CancellationToken ct)
    {
        var wanted = hostnames.Where(h => !string.IsNullOrWhiteSpace(h)).Distinct().ToList();
        var known = new Dictionary<string, Guid>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var chunk in wanted.Chunk(500))
                foreach (var h in await db.Hosts.AsNoTracking().Where(h => chunk.Contains(h.Hostname) && h.Approval == HostApproval.Approved)
                             .OrderByDescending(h => h.LastSeen).Select(h => new { h.Hostname, h.Id }).ToListAsync(ct))
                    known.TryAdd(h.Hostname, h.Id);
        }
        var unknown = wanted.Where(h => !known.ContainsKey(h)).ToList();
        if (known.Count == 0) return new BroadcastOutcome(null, wanted.Count, [], unknown);

        var spec = Script(command, wanted.Where(known.ContainsKey).Select(h => known[h]).ToList(), timeoutSeconds, InvocationOrigin.Broadcast,
            concurrency: parallel ? null : 1);
        // Without parallelism hosts run one after another, so the wait grows with their number.
        var wait = TimeSpan.FromSeconds(parallel ? timeoutSeconds + 5 : timeoutSeconds * known.Count + 5);
        var (invocationId, ran) = await RunAsync(spec, owner, wait, ct);
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var batchId = await read.Invocations.Where(i => i.Id == invocationId).Select(i => i.TaskId).FirstAsync(ct);
        return new BroadcastOutcome(batchId, wanted.Count, ran, unknown);
    }

    /// <summary>
    /// Creates the invocation and waits until every target run has ended or <paramref name="wait"/> passes, then reads every host's
    /// result. The caller is answered as soon as the result writer has committed the last result (its event says so), not
    /// after the engine's next pass closes the invocation; when the writer handed over every run's whole result
    /// (<see cref="RunOutcomes"/>), without reading them back.
    /// </summary>
    public async Task<(long InvocationId, IReadOnlyList<HostCommandResult> Results)> RunAsync(InvocationSpec spec, string owner, TimeSpan wait, CancellationToken ct)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        waiting.CancelAfter(wait);
        // The first MoveNextAsync subscribes; asking for it before the invocation exists means the event of its
        // stop cannot pass unseen. The stream ends (false) once the wait is over.
        var changes = events.SubscribeAsync(waiting.Token).GetAsyncEnumerator(waiting.Token);
        var next = changes.MoveNextAsync().AsTask();
        RunOutcomes.Watch? handed = null;
        try
        {
            // Followed from the moment it has an id, before the engine can dispatch it: no result can be committed unseen.
            var invocationId = await invocations.CreateAsync(spec, owner, null, ct, id => handed = outcomes.Follow(id));
            var runs = spec.HostIds?.Count ?? -1;
            while (await next)
            {
                var mine = changes.Current.Any(e => e.Kind is FleetEventKind.InvocationChanged or FleetEventKind.TargetRunChanged && e.InvocationId == invocationId);
                next = changes.MoveNextAsync().AsTask();
                if (!mine) continue;
                if (runs > 0 && handed?.All(runs) is { } whole) return (invocationId, whole);
                // One read answers both questions: whether every run has ended, and if so what each host returned.
                if (await ResultsIfEndedAsync(invocationId, ct) is { } ended) return (invocationId, ended);
            }
            return (invocationId, await ResultsAsync(invocationId, ct));
        }
        finally
        {
            handed?.Dispose();
            // An async iterator cannot be disposed while a MoveNextAsync is pending: end the stream, let it finish, then dispose.
            await waiting.CancelAsync();
            await next;
            await changes.DisposeAsync();
        }
    }

    /// <summary>Every host's result as it stands now, ended or not (what the caller gets when its wait is over).</summary>
    public async Task<IReadOnlyList<HostCommandResult>> ResultsAsync(long invocationId, CancellationToken ct) =>
        (await ReadResultsAsync(invocationId, onlyIfEnded: false, ct))!;

    /// <summary>Every host's result once all target runs have ended; null while one has not.</summary>
    private Task<IReadOnlyList<HostCommandResult>?> ResultsIfEndedAsync(long invocationId, CancellationToken ct) =>
        ReadResultsAsync(invocationId, onlyIfEnded: true, ct);

    private async Task<IReadOnlyList<HostCommandResult>?> ReadResultsAsync(long invocationId, bool onlyIfEnded, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Asked on every change of a broadcast to thousands of hosts: whether one run is still open is one indexed query, not a read of them all.
        if (onlyIfEnded && await db.TargetRuns.Where(TargetRun.Unfinished).AnyAsync(r => r.InvocationId == invocationId, ct))
            return null;
        // Only the columns an answer needs: for 10,000 hosts the rest (histories, scripts) is most of what would be read.
        var runs = await db.TargetRuns.AsNoTracking().Where(r => r.InvocationId == invocationId).OrderBy(r => r.Position)
            .Select(r => new { r.Id, r.HostId, r.DeviceName, r.Status, r.Reason, r.CommandId }).ToListAsync(ct);
        var commandIds = runs.Where(r => r.CommandId != null).Select(r => r.CommandId!.Value).ToList();
        var commands = await db.Commands.AsNoTracking().Where(c => commandIds.Contains(c.Id))
            .Select(c => new { c.Id, c.ExitCode, c.Error, c.StartedAt, c.FinishedAt }).ToDictionaryAsync(c => c.Id, ct);
        var chunks = await db.OutputChunks.AsNoTracking().Where(c => commandIds.Contains(c.CommandId)).OrderBy(c => c.Sequence)
            .Select(c => new { c.CommandId, c.Stream, c.Text }).ToListAsync(ct);
        var chunksOf = chunks.ToLookup(c => c.CommandId);
        var results = new List<HostCommandResult>(runs.Count);
        foreach (var run in runs)
        {
            var command = run.CommandId is { } id ? commands.GetValueOrDefault(id) : null;
            var output = run.CommandId is { } commandId ? chunksOf[commandId].Select(c => (c.Stream, c.Text)) : [];
            results.Add(HostCommandResult.Of(run.HostId, run.DeviceName, run.Id, run.Status, run.Reason, command?.ExitCode, command?.Error,
                command?.StartedAt, command?.FinishedAt, output));
        }
        return results;
    }

    private static InvocationSpec Script(string command, IReadOnlyList<Guid> hostIds, int timeout, InvocationOrigin origin, int? concurrency) => new()
    {
        JobCategory = "Commands",
        Description = command.Length > 120 ? command[..120] + "…" : command,
        Origin = origin,
        CommandKind = CommandKind.Script,
        Script = command,
        HostIds = hostIds,
        ConcurrencyLevel = concurrency,
        TimeToPickupSeconds = timeout,
        ExecutionTimeoutSeconds = timeout,
    };
}
