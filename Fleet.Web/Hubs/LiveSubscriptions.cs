using System.Collections.Concurrent;

namespace Fleet.Web.Hubs;

/// <summary>
/// Which LiveHub groups have members, so the publisher reads the database only for groups someone
/// listens to: a 10,000-host job nobody watches costs no live-update queries. Only this instance's connections: in a
/// cluster each instance sends its own LiveHub clients what it sees (its own events and those relayed from the others), so a
/// client never gets the same change twice, once from each instance, through the backplane.
/// </summary>
public sealed class LiveSubscriptions
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _members = new();

    public void Join(string group, string connectionId) => _members.GetOrAdd(group, _ => new()).TryAdd(connectionId, 0);

    public void Leave(string group, string connectionId)
    {
        if (_members.TryGetValue(group, out var members)) members.TryRemove(connectionId, out _);
    }

    public void Disconnected(string connectionId)
    {
        foreach (var members in _members.Values) members.TryRemove(connectionId, out _);
    }

    public IReadOnlyList<string> MembersOf(string group) => _members.TryGetValue(group, out var members) ? [.. members.Keys] : [];

    public bool HasMembers(string group) => _members.TryGetValue(group, out var members) && !members.IsEmpty;
}
