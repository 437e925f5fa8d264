using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fleet.Web.Data;

/// <summary>
/// Sets two per-connection pragmas on every SQLite connection.
/// <para><c>synchronous=NORMAL</c>: in WAL mode a commit no longer waits for an fsync of the log; the log is synced at
/// checkpoints. A crash of the server process loses nothing (the operating system still writes what was committed); a
/// power cut or kernel crash can lose the last transactions, never the database's consistency. Each agent report and
/// dispatch is a commit, so on a busy disk the fsync was most of an interactive command's time on the server.</para>
/// <para><c>busy_timeout</c> (the connection's default timeout): a writer that finds another one committing waits in SQLite's
/// own busy handler, which retries after 1, 2, 5, 10… ms. Without it Microsoft.Data.Sqlite handles <c>SQLITE_BUSY</c> itself
/// by sleeping 150 ms between attempts, so every collision of two writers (a new invocation against the engine's pass, the
/// result writer against a heartbeat) cost a whole 150 ms: most of seed 001's queued → processing and its tail.</para>
/// </summary>
public sealed class SqliteWalSync : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The busy timeout is the connection's own default timeout, so a writer still gives up when it did before.</summary>
    private static string Pragmas(DbConnection connection)
    {
        var seconds = connection is SqliteConnection sqlite ? sqlite.DefaultTimeout : 30;
        return $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={Math.Max(1, seconds) * 1000};";
    }
}
