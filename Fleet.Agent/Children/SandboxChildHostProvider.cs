using System.Text.Json;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Children;

/// <param name="FailStart">When true, starting this child fails (to test how a failed restart is reported).</param>
public sealed record SandboxChild(string Name, string Status, bool FailStart = false);

/// <summary>
/// For tests and labs: child hosts that exist only as records in <c>{state-dir}/sandbox-children.json</c>, with real
/// running/stopped state that survives the agent's restarts. Stopping and starting change the file.
/// <para>
/// Each child also has a real folder on this machine, <c>{state-dir}/sandbox-children/{name}</c>, standing for its file
/// system: a path inside the child is that path under the folder, files are copied there, and commands "inside" the child
/// really run on this machine in that folder (as this agent's user). An agent installed into a sandbox child is therefore
/// a real agent process, with its prefix in the child's folder.
/// </para>
/// </summary>
public sealed class SandboxChildHostProvider(string stateDir) : IChildHostProvider
{
    public const string FileName = "sandbox-children.json";
    public const string FoldersName = "sandbox-children";
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

    /// <summary>The folder that stands for the child's file system.</summary>
    public string RootOf(string name)
    {
        if (name.Length == 0 || name.Contains('/') || name is "." or "..") throw new InvalidOperationException($"'{name}' cannot name a sandbox child.");
        return Path.Combine(stateDir, FoldersName, name);
    }

    public string PathInChild(string name, string path) => RootOf(name) + "/" + path.TrimStart('/');

    public Task CopyInAsync(string name, string localFile, string pathInChild, CancellationToken ct)
    {
        RequireRunning(name);
        var root = Path.GetFullPath(RootOf(name)) + "/";
        var target = Path.GetFullPath(pathInChild);
        if (!target.StartsWith(root, StringComparison.Ordinal)) throw new InvalidOperationException($"{pathInChild} is outside sandbox child '{name}'.");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(localFile, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<int> ExecAsync(string name, IReadOnlyList<string> command, Func<string, Task> onLine, CancellationToken ct)
    {
        RequireRunning(name);
        var root = RootOf(name);
        Directory.CreateDirectory(root);
        return CliRunner.RunStreamingAsync(command[0], command.Skip(1).ToList(), onLine, ct, workingDirectory: root);
    }

    /// <summary>As an engine refuses to exec in a stopped container, so does the sandbox.</summary>
    private void RequireRunning(string name)
    {
        var child = Current().FirstOrDefault(c => c.Name == name) ?? throw new InvalidOperationException($"Child host '{name}' does not exist.");
        if (child.Status != "running") throw new InvalidOperationException($"Child host '{name}' is {child.Status}, not running.");
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
