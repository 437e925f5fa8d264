using System.Text.Json;

namespace Fleet.Agent;

/// <summary>What an agent must remember across restarts: its host id and the secret the server issued.</summary>
public sealed record AgentIdentity(Guid? HostId, string? Secret);

public interface IAgentIdentityStore
{
    AgentIdentity Load();
    void Save(AgentIdentity identity);
}

/// <summary>Keeps the identity in <c>{state-dir}/identity.json</c>, readable by the agent's user only.</summary>
public sealed class FileIdentityStore(string stateDir) : IAgentIdentityStore
{
    private readonly string _path = Path.Combine(stateDir, "identity.json");

    public AgentIdentity Load()
    {
        try
        {
            return File.Exists(_path) ? JsonSerializer.Deserialize(File.ReadAllText(_path), AgentStateJsonContext.Default.AgentIdentity) ?? new(null, null) : new(null, null);
        }
        catch (JsonException)
        {
            return new(null, null);
        }
    }

    public void Save(AgentIdentity identity)
    {
        Directory.CreateDirectory(stateDir);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(identity, AgentStateJsonContext.Default.AgentIdentity));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, _path, overwrite: true);
    }
}

/// <summary>For simulated agents: remembered for the life of the process only.</summary>
public sealed class MemoryIdentityStore : IAgentIdentityStore
{
    private AgentIdentity _identity = new(null, null);
    public AgentIdentity Load() => _identity;
    public void Save(AgentIdentity identity) => _identity = identity;
}
