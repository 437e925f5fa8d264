using Fleet.Domain.Hosts;

namespace Fleet.Domain.Search;

internal enum FieldKind
{
    Text,
    Number,
    /// <summary>A byte count that also accepts sizes such as 8GB.</summary>
    Bytes,
    Status,
    Flag,
}

/// <param name="Property">The <see cref="ManagedHost"/> property compared, or null when the field is derived.</param>
internal sealed record SearchField(string Name, FieldKind Kind, string? Property, params string[] Aliases);

/// <summary>The searchable fields. The first name is the one shown to users; aliases follow Foreman's spelling.</summary>
internal static class HostSearchFields
{
    public static readonly SearchField Name = new("name", FieldKind.Text, nameof(ManagedHost.Hostname), "hostname");

    public static readonly IReadOnlyList<SearchField> All =
    [
        Name,
        new("platform", FieldKind.Text, nameof(ManagedHost.Platform)),
        new("os_version", FieldKind.Text, nameof(ManagedHost.OsVersion), "os"),
        new("kernel", FieldKind.Text, nameof(ManagedHost.KernelVersion), "kernel_version"),
        new("agent_version", FieldKind.Text, nameof(ManagedHost.AgentVersion)),
        new("ip", FieldKind.Text, nameof(ManagedHost.IpAddress), "ip_address"),
        new("cpu_count", FieldKind.Number, nameof(ManagedHost.CpuCount)),
        new("memory", FieldKind.Bytes, nameof(ManagedHost.MemoryTotalBytes)),
        new("cpu_model", FieldKind.Text, nameof(ManagedHost.CpuModel)),
        new("status", FieldKind.Status, null),
        new("has_error", FieldKind.Flag, null),
    ];

    public static readonly IReadOnlyList<string> Names = All.Select(f => f.Name).ToArray();

    public static readonly IReadOnlyList<string> Statuses = ["online", "offline", "pending", "rejected"];

    private static readonly Dictionary<string, SearchField> ByName = All
        .SelectMany(f => f.Aliases.Prepend(f.Name).Select(name => (name, f)))
        .ToDictionary(p => p.name, p => p.f, StringComparer.OrdinalIgnoreCase);

    public static SearchField Find(string name, int position) =>
        ByName.TryGetValue(name, out var field)
            ? field
            : throw new HostSearchException($"Unknown field '{name}' at position {position}; fields: {string.Join(", ", Names)}", position);
}
