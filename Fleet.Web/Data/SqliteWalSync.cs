using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fleet.Web.Data;

/// <summary>
/// Sets <c>PRAGMA synchronous=NORMAL</c> on every SQLite connection (it is a per-connection setting). In WAL mode that
/// means a commit no longer waits for an fsync of the log; the log is synced at checkpoints. A crash of the server process
/// loses nothing (the operating system still writes what was committed); a power cut or kernel crash can lose the last
/// transactions, never the database's consistency. Each agent report and dispatch is a commit, so on a busy disk the
/// fsync was most of an interactive command's time on the server.
/// </summary>
public sealed class SqliteWalSync : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
