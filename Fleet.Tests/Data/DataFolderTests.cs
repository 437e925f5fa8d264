using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Data;

/// <summary>The data folder holds every secret Fleet keeps: only the service's own user may read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFolderTests : IDisposable
{
    private const UnixFileMode Mode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "fleet-tests", "folder-" + Guid.NewGuid().ToString("N"));

    private static string ModeOf(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);

    [Fact]
    public async Task NewDataFolder_IsCreated700_WithDatabaseFilesAndKeys600()
    {
        Directory.CreateDirectory(_root);
        var data = Path.Combine(_root, "var", "fleet");
        using (var server = new FleetServer(new Dictionary<string, string?> { ["ConnectionStrings:Fleet"] = $"Data Source={Path.Combine(data, "fleet.db")}" }, directory: _root))
        {
            await server.StartAcceptedAgentAsync("modes-01");

            Assert.Equal(ModeOf(data), Convert.ToString((int)Mode700, 8));
            var databaseFiles = Directory.GetFiles(data, "fleet.db*");
            Assert.Contains(Path.Combine(data, "fleet.db-wal"), databaseFiles);
            Assert.Contains(Path.Combine(data, "fleet.db-shm"), databaseFiles);
            foreach (var file in databaseFiles) Assert.True(File.GetUnixFileMode(file) == Mode600, $"{file} is {ModeOf(file)}");

            var keys = Path.Combine(data, "keys");
            Assert.Equal(Mode700, File.GetUnixFileMode(keys));
            var keyFiles = Directory.GetFiles(keys, "*.xml");
            Assert.NotEmpty(keyFiles);
            foreach (var file in keyFiles) Assert.True(File.GetUnixFileMode(file) == Mode600, $"{file} is {ModeOf(file)}");
        }
    }

    [Fact]
    public void ExistingWorldReadableDatabase_IsNarrowedTo600AtStart()
    {
        Directory.CreateDirectory(_root);
        var database = Path.Combine(_root, "fleet.db");
        File.WriteAllBytes(database, []);
        File.SetUnixFileMode(database, Mode600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var server = new FleetServer(directory: _root);

        Assert.Equal(Mode600, File.GetUnixFileMode(database));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
