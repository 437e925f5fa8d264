namespace Fleet.Tests.Agent.Inventory;

/// <summary>A temp directory standing in for "/", filled with the files a test needs.</summary>
public sealed class FixtureRoot : IDisposable
{
    public FixtureRoot()
    {
        Directory = Path.Combine(Path.GetTempPath(), "fleet-inventory-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string absolutePath) => Path.Join(Directory, absolutePath.TrimStart('/'));

    public string Write(string absolutePath, string content)
    {
        var path = PathOf(absolutePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void WriteBytes(string absolutePath, byte[] content)
    {
        var path = PathOf(absolutePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    public StreamReader Open(string absolutePath) => new(PathOf(absolutePath));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp dir is not worth failing a test over
        }
    }
}
