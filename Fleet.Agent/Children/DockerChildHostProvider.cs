using System.Text.Json;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Children;

/// <summary>Docker containers, through the <c>docker</c> CLI.</summary>
public sealed class DockerChildHostProvider : IChildHostProvider
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(30);

    public string Type => "docker";

    public bool IsPresent => CliRunner.IsOnPath("docker");

    public async Task<IReadOnlyList<ChildHostInfo>> ListAsync(CancellationToken ct) =>
        DockerPsParser.Parse(await CliRunner.RunAsync("docker", ["ps", "-a", "--format", "{{json .}}"], ListTimeout, ct));

    public Task StopAsync(string name, TimeSpan timeout, CancellationToken ct) =>
        CliRunner.RunAsync("docker", ["stop", "-t", ((int)Math.Max(1, timeout.TotalSeconds)).ToString(), name], timeout + TimeSpan.FromSeconds(15), ct);

    public Task StartAsync(string name, CancellationToken ct) => CliRunner.RunAsync("docker", ["start", name], TimeSpan.FromMinutes(2), ct);

    public string PathInChild(string name, string path) => path;

    public Task CopyInAsync(string name, string localFile, string pathInChild, CancellationToken ct) =>
        CliRunner.RunAsync("docker", ["cp", localFile, $"{name}:{pathInChild}"], TimeSpan.FromMinutes(5), ct);

    public Task<int> ExecAsync(string name, IReadOnlyList<string> command, Func<string, Task> onLine, CancellationToken ct) =>
        CliRunner.RunStreamingAsync("docker", ["exec", "--user", "0", name, .. command], onLine, ct);
}

/// <summary>
/// Reads <c>docker ps -a --format '{{json .}}'</c>: one JSON object per line with <c>Names</c> and <c>State</c>
/// (created, restarting, running, removing, paused, exited, dead), mapped to running / stopped / paused.
/// </summary>
public static class DockerPsParser
{
    public static IReadOnlyList<ChildHostInfo> Parse(string output)
    {
        var children = new List<ChildHostInfo>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var document = JsonDocument.Parse(line);
            var container = document.RootElement;
            if (container.ValueKind != JsonValueKind.Object) continue;
            // A container with several names lists them comma-separated; the first is the one docker stop/start accept.
            var name = Text(container, "Names")?.Split(',')[0].Trim();
            if (string.IsNullOrWhiteSpace(name)) continue;
            children.Add(new ChildHostInfo(name, "docker", StatusOf(Text(container, "State"))));
        }
        return children;
    }

    private static string StatusOf(string? state) => state?.ToLowerInvariant() switch
    {
        "running" or "restarting" => "running",
        "exited" or "created" or "dead" => "stopped",
        null or "" => "unknown",
        var other => other,
    };

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
