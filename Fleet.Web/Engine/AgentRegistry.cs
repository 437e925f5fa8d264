using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Fleet.Web.Engine;

/// <summary>
/// Which agent connections this server instance holds: one per host, plus the connections of hosts
/// still waiting for approval. Kept in memory because it lives and dies with the connections. Alone, it is also the
/// instance's <see cref="IAgentPresence"/>; in a cluster, <see cref="HostChanged"/> tells the cluster presence what to share.
/// </summary>
public sealed class AgentRegistry : IAgentPresence
{
    private readonly ConcurrentDictionary<Guid, HubCallerContext> _accepted = new();
    private readonly ConcurrentDictionary<Guid, HubCallerContext> _waiting = new();
    private readonly ConcurrentDictionary<string, Guid> _hostByConnection = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _acceptedAt = new();
    private readonly ConcurrentDictionary<Guid, string> _bootIds = new();
    private readonly ConcurrentDictionary<Guid, HubCallerContext> _reenrolling = new();
    private readonly ConcurrentDictionary<string, (Guid HostId, Fleet.Domain.Agents.AgentHello Hello)> _confirming = new();

    public int ConnectedCount => _accepted.Count;

    /// <summary>A host's accepted connection here started or ended. Raised after the change; handlers re-read the registry.</summary>
    public event Action<Guid>? HostChanged;

    /// <summary>The hosts whose accepted connection this instance holds.</summary>
    public IEnumerable<Guid> AcceptedHosts => _accepted.Keys;

    /// <summary>Registers an accepted connection; an older connection of the same host is returned so the caller can close it.</summary>
    public HubCallerContext? Accept(Guid hostId, HubCallerContext connection, DateTimeOffset? at = null, string? bootId = null)
    {
        _acceptedAt[hostId] = at ?? DateTimeOffset.UtcNow;
        if (bootId is null) _bootIds.TryRemove(hostId, out _);
        else _bootIds[hostId] = bootId;
        _waiting.TryRemove(hostId, out _);
        _hostByConnection[connection.ConnectionId] = hostId;
        HubCallerContext? previous = null;
        _accepted.AddOrUpdate(hostId, connection, (_, old) =>
        {
            previous = old.ConnectionId == connection.ConnectionId ? null : old;
            return connection;
        });
        if (previous is not null) _hostByConnection.TryRemove(previous.ConnectionId, out _);
        HostChanged?.Invoke(hostId);
        return previous;
    }

    public void Wait(Guid hostId, HubCallerContext connection)
    {
        _waiting[hostId] = connection;
        _hostByConnection[connection.ConnectionId] = hostId;
    }

    /// <summary>The connection waits for an operator to decide on its re-enrolment request for <paramref name="hostId"/>; the host's own agent is untouched.</summary>
    public void WaitForReenrolment(Guid hostId, HubCallerContext connection)
    {
        _reenrolling[hostId] = connection;
    }

    public HubCallerContext? ReenrollingConnectionOf(Guid hostId) => _reenrolling.TryGetValue(hostId, out var c) ? c : null;

    /// <summary>The connection was issued a secret and must confirm it before it is accepted.</summary>
    public void AwaitConfirmation(Guid hostId, HubCallerContext connection, Fleet.Domain.Agents.AgentHello hello) =>
        _confirming[connection.ConnectionId] = (hostId, hello);

    public bool IsConfirming(Guid hostId) => _confirming.Values.Any(pending => pending.HostId == hostId);

    /// <summary>Takes (once) what a connection must confirm; null if it was issued nothing.</summary>
    public (Guid HostId, Fleet.Domain.Agents.AgentHello Hello)? TakeConfirmation(string connectionId) =>
        _confirming.TryRemove(connectionId, out var pending) ? pending : null;

    public HubCallerContext? AcceptedConnectionOf(Guid hostId) => _accepted.TryGetValue(hostId, out var c) ? c : null;

    public Guid? AcceptedHostOf(string connectionId) =>
        _hostByConnection.TryGetValue(connectionId, out var hostId) && _accepted.TryGetValue(hostId, out var c) && c.ConnectionId == connectionId
            ? hostId
            : null;

    public string? ConnectionOf(Guid hostId) => _accepted.TryGetValue(hostId, out var c) ? c.ConnectionId : null;

    public HubCallerContext? WaitingConnectionOf(Guid hostId) => _waiting.TryGetValue(hostId, out var c) ? c : null;

    public bool IsConnected(Guid hostId) => _accepted.ContainsKey(hostId);

    /// <summary>When the host's current connection was accepted; null when it has none. A reboot is over once this is later than the reboot.</summary>
    public DateTimeOffset? ConnectedSince(Guid hostId) => _accepted.ContainsKey(hostId) && _acceptedAt.TryGetValue(hostId, out var at) ? at : null;

    /// <summary>The boot id the host's agent sent with its last accepted hello (null if it sent none).</summary>
    public string? BootIdOf(Guid hostId) => _bootIds.TryGetValue(hostId, out var id) ? id : null;

    /// <summary>Forgets a closed connection. Returns the host it was the live connection of, if any.</summary>
    public Guid? Remove(string connectionId)
    {
        _confirming.TryRemove(connectionId, out _);
        foreach (var (requestedHost, requester) in _reenrolling)
            if (requester.ConnectionId == connectionId) _reenrolling.TryRemove(new KeyValuePair<Guid, HubCallerContext>(requestedHost, requester));
        if (!_hostByConnection.TryRemove(connectionId, out var hostId)) return null;
        if (_waiting.TryGetValue(hostId, out var waiting) && waiting.ConnectionId == connectionId) _waiting.TryRemove(hostId, out _);
        if (_accepted.TryGetValue(hostId, out var accepted) && accepted.ConnectionId == connectionId)
        {
            _accepted.TryRemove(new KeyValuePair<Guid, HubCallerContext>(hostId, accepted));
            HostChanged?.Invoke(hostId);
            return hostId;
        }
        return null;
    }

    public void Abort(Guid hostId)
    {
        if (_accepted.TryGetValue(hostId, out var accepted)) accepted.Abort();
        if (_waiting.TryGetValue(hostId, out var waiting)) waiting.Abort();
    }

    public void AbortReenrolment(Guid hostId)
    {
        if (_reenrolling.TryRemove(hostId, out var waiting)) waiting.Abort();
    }
}
