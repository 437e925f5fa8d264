using System.Text.Json;
using Fleet.Domain.Agents;

namespace Fleet.Agent.Children;

/// <summary>LXD containers and virtual machines, through <c>lxc</c>.</summary>
public sealed class LxdChildHostProvider : IChildHostProvider
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(30);

    public string Type => "lxd";

    public bool IsPresent => CliRunner.IsOnPath("lxc");

    public async Task<IReadOnlyList<ChildHostInfo>> ListAsync(CancellationToken ct) =>
        LxdListParser.Parse(await CliRunner.RunAsync("lxc", ["list", "--format", "json"], ListTimeout, ct));

    public Task StopAsync(string name, TimeSpan timeout, CancellationToken ct) =>
        CliRunner.RunAsync("lxc", ["stop", name, "--timeout", ((int)Math.Max(1, timeout.TotalSeconds)).ToString()], timeout + TimeSpan.FromSeconds(15), ct);

    public Task StartAsync(string name, CancellationToken ct) => CliRunner.RunAsync("lxc", ["start", name], TimeSpan.FromMinutes(2), ct);

    public string PathInChild(string name, string path) => path;

    // lxc names a file inside an instance as <instance>/<absolute path>, hence the single slash between them.
    public Task CopyInAsync(string name, string localFile, string pathInChild, CancellationToken ct) =>
        CliRunner.RunAsync("lxc", ["file", "push", localFile, $"{name}/{pathInChild.TrimStart('/')}"], TimeSpan.FromMinutes(5), ct);

    public Task<int> ExecAsync(string name, IReadOnlyList<string> command, Func<string, Task> onLine, CancellationToken ct) =>
        CliRunner.RunStreamingAsync("lxc", ["exec", name, "--", .. command], onLine, ct);
}

/// <summary>Reads <c>lxc list --format json</c>: an array of instances with <c>name</c>, <c>type</c> and <c>status</c> (Running, Stopped, Frozen, ...).</summary>
public static class LxdListParser
{
    public static IReadOnlyList<ChildHostInfo> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new InvalidOperationException("lxc list did not answer with a JSON array.");
        var children = new List<ChildHostInfo>();
        foreach (var instance in document.RootElement.EnumerateArray())
        {
            var name = Text(instance, "name");
            if (string.IsNullOrWhiteSpace(name)) continue;
            children.Add(new ChildHostInfo(name, "lxd", (Text(instance, "status") ?? "unknown").ToLowerInvariant()));
        }
        return children;
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
