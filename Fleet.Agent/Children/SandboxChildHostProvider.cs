using System.Text.Json;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Children;

/// <param name="FailStart">When true, starting this child fails (to test how a failed restart is reported).</param>
public sealed record SandboxChild(string Name, string Status, bool FailStart = false);

/// <summary>
/// For tests and labs: child hosts that exist only as records in <c>{state-dir}/sandbox-children.json</c>, with real
/// running/stopped state that survives the agent's restarts. Stopping and starting change the file.
/// </summary>
public sealed class SandboxChildHostProvider(string stateDir) : IChildHostProvider
{
    public const string FileName = "sandbox-children.json";
    private static readonly Lock FileGate = new();

    private string FilePath => Path.Combine(stateDir, FileName);

    public string Type => "sandbox";

    public bool IsPresent => true;

    /// <summary>Writes the children a test starts with (replacing any earlier state).</summary>
    public void Seed(IEnumerable<SandboxChild> children)
    {
        lock (FileGate) Write(children.ToList());
    }

    public IReadOnlyList<SandboxChild> Current()
    {
        lock (FileGate) return Read();
    }

    public Task<IReadOnlyList<ChildHostInfo>> ListAsync(CancellationToken ct)
    {
        lock (FileGate) return Task.FromResult<IReadOnlyList<ChildHostInfo>>(Read().Select(c => new ChildHostInfo(c.Name, Type, c.Status)).ToList());
    }

    public Task StopAsync(string name, TimeSpan timeout, CancellationToken ct)
    {
        Change(name, child => child with { Status = "stopped" });
        return Task.CompletedTask;
    }

    public Task StartAsync(string name, CancellationToken ct)
    {
        Change(name, child => child.FailStart
            ? throw new InvalidOperationException($"Child host '{name}' failed to start (sandbox: marked to fail).")
            : child with { Status = "running" });
        return Task.CompletedTask;
    }

    private void Change(string name, Func<SandboxChild, SandboxChild> change)
    {
        lock (FileGate)
        {
            var children = Read().ToList();
            var index = children.FindIndex(c => c.Name == name);
            if (index < 0) throw new InvalidOperationException($"Child host '{name}' does not exist.");
            children[index] = change(children[index]);
            Write(children);
        }
    }

    private List<SandboxChild> Read() =>
        File.Exists(FilePath) ? JsonSerializer.Deserialize(File.ReadAllText(FilePath), SandboxJsonContext.Default.ListSandboxChild) ?? [] : [];

    private void Write(List<SandboxChild> children)
    {
        Directory.CreateDirectory(stateDir);
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(children, SandboxJsonContext.Default.ListSandboxChild));
        File.Move(temporary, FilePath, overwrite: true);
    }
}
