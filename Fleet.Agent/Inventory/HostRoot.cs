namespace Fleet.Agent.Inventory;

/// <summary>
/// The directory the Linux readers treat as "/". Tests point it at a temp dir of fixture files;
/// only the live root lets readers also ask the running kernel (statvfs, interface addresses).
/// </summary>
public sealed record HostRoot(string Directory)
{
    public static HostRoot Live { get; } = new("/");

    public bool IsLive { get; } = Path.GetFullPath(Directory) == "/";

    public string Resolve(string absolutePath) => Path.Join(Directory, absolutePath.TrimStart('/'));

    /// <summary>First trimmed line of a file, or null when it is missing or unreadable (sysfs answers some reads with EINVAL).</summary>
    public string? ReadFirstLine(string absolutePath)
    {
        try
        {
            using var reader = new StreamReader(Resolve(absolutePath));
            return reader.ReadLine()?.Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
