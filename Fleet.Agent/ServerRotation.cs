namespace Fleet.Agent;

/// <summary>
/// Which server an agent dials next, from the comma-separated <c>--server</c> list. It stays with a server while it works; when
/// the connection is lost or cannot be made it moves on to the next one in the list, and waits a jittered, exponentially
/// growing delay that grows once per full round of failures, so a fleet whose server died spreads over the others instead of
/// arriving together, and a whole cluster that is down is retried as patiently as one server was. With one server it behaves
/// exactly as the single-server agent did.
/// </summary>
public sealed class ServerRotation
{
    private readonly IReadOnlyList<Uri> _servers;
    private readonly Random _random;
    private int _current;
    private int _failures;

    /// <param name="first">Index of the server to try first (the simulator spreads its agents with it).</param>
    public ServerRotation(IReadOnlyList<Uri> servers, Random random, int first = 0)
    {
        if (servers.Count == 0) throw new ArgumentException("At least one server is needed.", nameof(servers));
        _servers = servers;
        _random = random;
        _current = ((first % servers.Count) + servers.Count) % servers.Count;
    }

    public IReadOnlyList<Uri> Servers => _servers;

    public Uri Current => _servers[_current];

    /// <summary>The agent was accepted by <see cref="Current"/>: the next failure starts from the shortest delay again.</summary>
    public void Connected() => _failures = 0;

    /// <summary>The connection to <see cref="Current"/> failed or ended: moves to the next server and says how long to wait first.</summary>
    public TimeSpan Failed(TimeSpan maxDelay)
    {
        var round = _failures / _servers.Count;
        _failures++;
        _current = (_current + 1) % _servers.Count;
        return Backoff.Delay(round, maxDelay, _random);
    }

    /// <summary>Reads <c>http://a:5000,http://b:5000</c>: absolute http(s) addresses, blanks and repeats dropped, order kept.</summary>
    /// <exception cref="FormatException">An entry is not an absolute http or https address, or none is given.</exception>
    public static IReadOnlyList<Uri> Parse(string? servers)
    {
        var list = new List<Uri>();
        foreach (var part in (servers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new FormatException($"'{part}' is not an http or https server address.");
            if (!list.Contains(uri)) list.Add(uri);
        }
        return list.Count > 0 ? list : throw new FormatException("No server address given (--server http://host:5000[,http://other:5000]).");
    }
}
