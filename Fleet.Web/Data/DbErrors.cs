using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

public static class DbErrors
{
    /// <summary>
    /// True when a save lost a race on a unique index: two requests both checked that a name was free, and the
    /// second insert was refused. Callers answer it as the "already taken" they would have given a moment later.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException error) => error.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        DbException other => other.SqlState == "23505",
        _ => false,
    };

    /// <summary>
    /// True when PostgreSQL refused a transaction only because another one (another instance) changed the same rows first:
    /// a serialization failure under repeatable read (40001) or a deadlock (40P01). The work is sound; written again it succeeds.
    /// </summary>
    public static bool IsWriteConflict(Exception error)
    {
        for (var inner = error; inner is not null; inner = inner.InnerException)
            if (inner is DbException { SqlState: "40001" or "40P01" }) return true;
        return false;
    }
}
