namespace Fleet.Agent.Maintenance;

/// <summary>
/// Trust on first use for the machines a remote install reaches: the first host key seen for an address, port and key
/// type is remembered in <c>{state-dir}/ssh-known-hosts</c> (one <c>[address]:port type SHA256:fingerprint</c> line each);
/// a later connection presenting another key of that type is refused as a possible impostor. After a machine is
/// reinstalled on purpose, delete its line.
/// </summary>
public sealed class SshKnownHosts(string stateDir)
{
    public const string FileName = "ssh-known-hosts";
    private static readonly Lock FileGate = new();

    private string FilePath => Path.Combine(stateDir, FileName);

    public static string HostOf(string address, int port) => $"[{address}]:{port}";

    /// <summary>Checks <paramref name="fingerprint"/> against what is remembered, remembering it when nothing is.</summary>
    /// <returns>The verdict, and the fingerprint remembered before when it differs.</returns>
    public (HostKeyVerdict Verdict, string? Remembered) Check(string host, string keyType, string fingerprint)
    {
        lock (FileGate)
        {
            var lines = File.Exists(FilePath) ? File.ReadAllLines(FilePath) : [];
            foreach (var line in lines)
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 3 || parts[0] != host || parts[1] != keyType) continue;
                return parts[2] == fingerprint ? (HostKeyVerdict.Known, null) : (HostKeyVerdict.Changed, parts[2]);
            }
            Directory.CreateDirectory(stateDir);
            File.AppendAllLines(FilePath, [$"{host} {keyType} {fingerprint}"]);
            return (HostKeyVerdict.FirstSeen, null);
        }
    }
}

public enum HostKeyVerdict
{
    FirstSeen,
    Known,
    Changed,
}
