using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL 15 cluster for tests: initdb in a temporary folder, listening on 127.0.0.1 at a free port with its
/// unix socket in that folder, started with <c>pg_ctl -w</c>; stopped (immediate) and the folder removed on Dispose. PostgreSQL
/// refuses to run as root, so as root the cluster belongs to the <c>postgres</c> user (the folder is chowned to it). It never
/// touches the machine's own clusters. Each test takes a fresh database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string SuperUser = "postgres";
    private static readonly string[] BinFolders = ["/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin"];

    private readonly string _bin;
    private readonly bool _asPostgresUser;
    private int _databases;

    public PostgresServer()
    {
        _bin = BinFolders.FirstOrDefault(f => File.Exists(Path.Combine(f, "initdb")) && File.Exists(Path.Combine(f, "pg_ctl")))
               ?? throw new InvalidOperationException("PostgreSQL's initdb is missing: run ./test.sh (it installs Debian's postgresql) or apt-get install postgresql.");
        _asPostgresUser = Run("id", "-u").Trim() == "0";
        Folder = Path.Combine(Path.GetTempPath(), "fleet-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        if (_asPostgresUser) Run("chown", $"{SuperUser}:", Folder);
        var data = Path.Combine(Folder, "data");
        RunPg("initdb", "-D", data, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        Port = FreePort();
        // Durability is not what these tests check: without fsync the cluster starts and commits faster on a busy machine.
        var options = $"-p {Port} -k {Folder} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off " +
                      "-c synchronous_commit=off -c full_page_writes=off";
        RunPg("pg_ctl", "start", "-w", "-t", "60", "-D", data, "-l", Path.Combine(Folder, "postgres.log"), "-o", options);
    }

    /// <summary>The temporary folder holding the cluster, its socket and its log.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary>A connection string for <paramref name="database"/> as the cluster's superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = SuperUser, Database = database }.ToString();

    /// <summary>
    /// The settings that put a <see cref="FleetServer"/> on PostgreSQL (scale-out mode): the provider, the database, and
    /// Hangfire on the same database (shared by every server given the same connection string).
    /// </summary>
    public static Dictionary<string, string?> FleetSettings(string connectionString) => new()
    {
        [Fleet.Web.Data.DataSetup.ProviderSetting] = "Postgres",
        ["ConnectionStrings:Fleet"] = connectionString,
        [Fleet.Web.Jobs.HangfireSetup.StorageSetting] = "PostgreSql",
    };

    /// <summary>Creates an empty database of its own for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"fleet_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>What the server logged, for a failing test's message.</summary>
    public string Log => File.Exists(Path.Combine(Folder, "postgres.log")) ? File.ReadAllText(Path.Combine(Folder, "postgres.log")) : "";

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            RunPg("pg_ctl", "stop", "-m", "immediate", "-w", "-D", Path.Combine(Folder, "data"));
        }
        finally
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A PostgreSQL program, as the <c>postgres</c> user when the tests run as root.</summary>
    private string RunPg(string program, params string[] arguments)
    {
        var path = Path.Combine(_bin, program);
        return _asPostgresUser ? Run("runuser", ["-u", SuperUser, "--", path, .. arguments]) : Run(path, arguments);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}: {output.Trim()}");
        return output;
    }
}

/// <summary>One private PostgreSQL cluster for every test that needs one; each test creates its own database in it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
