using Fleet.Domain.Agents;

namespace Fleet.Agent.Children;

/// <summary>One kind of child host (LXD instances, Docker containers, ...) on this machine.</summary>
public interface IChildHostProvider
{
    /// <summary>The <c>child_type</c> this provider reports (lxd, docker, sandbox).</summary>
    string Type { get; }

    /// <summary>Whether the container engine exists on this machine (its CLI is installed).</summary>
    bool IsPresent { get; }

    Task<IReadOnlyList<ChildHostInfo>> ListAsync(CancellationToken ct);

    /// <summary>Stops the child and returns once it is stopped.</summary>
    /// <exception cref="InvalidOperationException">The engine refused or did not finish within <paramref name="timeout"/>.</exception>
    Task StopAsync(string name, TimeSpan timeout, CancellationToken ct);

    /// <exception cref="InvalidOperationException">The engine could not start the child; the message says why.</exception>
    Task StartAsync(string name, CancellationToken ct);

    /// <summary>
    /// A path inside the child as the commands of <see cref="ExecAsync"/> see it, and as <see cref="CopyInAsync"/> takes
    /// it: the same path for containers, which have their own root; the child's own folder on this machine for the sandbox.
    /// </summary>
    string PathInChild(string name, string path);

    /// <summary>Copies a file of this machine into the child (<c>docker cp</c>, <c>lxc file push</c>).</summary>
    /// <param name="pathInChild">From <see cref="PathInChild"/>; its folder exists.</param>
    /// <exception cref="InvalidOperationException">The engine refused; the message says why.</exception>
    Task CopyInAsync(string name, string localFile, string pathInChild, CancellationToken ct);

    /// <summary>Runs a command inside the child as its root (<c>docker exec</c>, <c>lxc exec</c>), each output line to <paramref name="onLine"/>.</summary>
    /// <returns>The command's exit code (the engine's own when it could not run it).</returns>
    Task<int> ExecAsync(string name, IReadOnlyList<string> command, Func<string, Task> onLine, CancellationToken ct);
}

/// <summary>All the providers of an agent, as one: what is reported to the server, and where a stop or start goes.</summary>
public sealed class ChildHostCatalog(IReadOnlyList<IChildHostProvider> providers)
{
    public static ChildHostCatalog Empty { get; } = new([]);

    /// <summary>The real engines: LXD and Docker through their command-line tools, where installed.</summary>
    public static ChildHostCatalog System() => new([new LxdChildHostProvider(), new DockerChildHostProvider()]);

    public bool IsEmpty => providers.Count == 0;

    /// <summary>Lists every present engine's children; an engine that fails to answer is named as unavailable, so its children are kept as they were.</summary>
    public async Task<ChildHostReport> ReportAsync(CancellationToken ct)
    {
        var children = new List<ChildHostInfo>();
        var unavailable = new List<string>();
        var present = false;
        foreach (var provider in providers.Where(p => p.IsPresent))
        {
            present = true;
            try
            {
                children.AddRange(await provider.ListAsync(ct));
            }
            catch (InvalidOperationException)
            {
                // The daemon is down or refuses us (e.g. still starting after a reboot); the engine is still installed.
                unavailable.Add(provider.Type);
            }
        }
        return new ChildHostReport(present, children.OrderBy(c => c.Type).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(), unavailable);
    }

    public IChildHostProvider ProviderFor(string type) =>
        providers.FirstOrDefault(p => p.IsPresent && string.Equals(p.Type, type, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"This agent has no '{type}' child host provider.");
}
