using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;

namespace Fleet.Web.Data;

/// <summary>
/// The folder holding the SQLite database and the Data Protection key ring. It holds every secret Fleet keeps,
/// so only the service's own user may read it: the folder is created 700, the database files and keys 600.
/// </summary>
public static class DataFolder
{
    public const UnixFileMode PrivateFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const string KeysFolderName = "keys";

    private static readonly string[] DatabaseSuffixes = ["", "-wal", "-shm", "-journal"];

    /// <summary>The folder of the SQLite file in the connection string, or <c>data</c> when the database has no file.</summary>
    public static string PathOf(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var file = builder.DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || builder.Mode == SqliteOpenMode.Memory) return Path.GetFullPath("data");
        return Path.GetDirectoryName(Path.GetFullPath(file)) ?? Path.GetFullPath(".");
    }

    /// <summary>Creates a folder only its owner may enter. An existing folder is left as the administrator set it.</summary>
    public static void CreatePrivateFolder(string folder)
    {
        if (Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else
        {
            Directory.CreateDirectory(folder, PrivateFolderMode);
            // The process umask may have narrowed the mode further, never widened it; set it exactly anyway.
            File.SetUnixFileMode(folder, PrivateFolderMode);
        }
    }

    /// <summary>
    /// Creates the database file 600 before SQLite opens it (SQLite gives its -wal and -shm files the database
    /// file's mode), and narrows files an older version left world-readable.
    /// </summary>
    public static void SecureDatabaseFile(string databaseFile)
    {
        if (OperatingSystem.IsWindows()) return;
        if (!File.Exists(databaseFile))
            using (new FileStream(databaseFile, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFileMode }))
            {
            }
        foreach (var suffix in DatabaseSuffixes)
            if (File.Exists(databaseFile + suffix)) File.SetUnixFileMode(databaseFile + suffix, PrivateFileMode);
    }

    /// <summary>Data Protection keys in <c>&lt;data folder&gt;/keys</c>, each key file 600.</summary>
    public static IServiceCollection AddFleetDataProtection(this IServiceCollection services, string dataFolder)
    {
        var keys = Path.Combine(dataFolder, KeysFolderName);
        CreatePrivateFolder(dataFolder);
        CreatePrivateFolder(keys);
        services.AddDataProtection().SetApplicationName("Fleet");
        // What PersistKeysToFileSystem does, with the key files narrowed to 600.
        services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((options, loggers) =>
            options.XmlRepository = new PrivateFileXmlRepository(new DirectoryInfo(keys), loggers));
        return services;
    }

    /// <summary>Data Protection's own file repository, with every key file narrowed to 600 as soon as it is written.</summary>
    private sealed class PrivateFileXmlRepository(DirectoryInfo directory, ILoggerFactory loggers) : IXmlRepository
    {
        private readonly FileSystemXmlRepository _files = new(directory, loggers);

        public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

        public void StoreElement(XElement element, string friendlyName)
        {
            _files.StoreElement(element, friendlyName);
            if (OperatingSystem.IsWindows()) return;
            foreach (var file in directory.EnumerateFiles("*.xml")) File.SetUnixFileMode(file.FullName, PrivateFileMode);
        }
    }
}
