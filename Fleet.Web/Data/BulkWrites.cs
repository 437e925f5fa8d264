using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fleet.Web.Data;

/// <summary>
/// Set-based writes for writers that move thousands of rows at once (creating an invocation, the engine's dispatch pass,
/// the result writer): rows go out as a few multi-row statements on PostgreSQL, and through one prepared statement stepped
/// per row on SQLite, instead of through the change tracker, whose per-row cost dominated a broadcast.
/// Tables, columns, conversions and parameter types come from the EF model, so a row is stored exactly as
/// <c>SaveChanges</c> would store it, on SQLite and on PostgreSQL alike. Statements join the context's current transaction.
/// </summary>
public static class BulkWrites
{
    // PostgreSQL allows 65,535 parameters per statement; multi-row statements save it a round trip per row.
    private const int MaxParametersPostgres = 30_000;
    private const int MaxRowsPerStatement = 1_000;

    /// <summary>Inserts rows (keys the database generates are left to it and not read back).</summary>
    public static async Task InsertAsync<T>(DbContext db, IReadOnlyList<T> rows, CancellationToken ct = default) where T : class
    {
        if (rows.Count == 0) return;
        var table = Table<T>(db);
        var columns = table.Type.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never || !p.IsKey()).ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(table.Column(c))))}) VALUES ";
        await ExecuteInChunksAsync(db, rows, columns, ct, values => head + values);
    }

    /// <summary>Snapshots <paramref name="rows"/> (loaded untracked) so that <see cref="RowChanges{T}.SaveAsync"/> can write what changed since.</summary>
    public static RowChanges<T> Track<T>(DbContext db, IEnumerable<T> rows) where T : class => new(db, Table<T>(db), rows);

    /// <summary>
    /// Rows loaded without tracking, moved by their own methods, then saved by <see cref="SaveAsync"/>: each row whose values
    /// changed is updated by key, and only the columns that changed in some row are written.
    /// </summary>
    public sealed class RowChanges<T> where T : class
    {
        private readonly DbContext _db;
        private readonly MappedTable _table;
        private readonly IReadOnlyList<IProperty> _properties;
        private readonly List<(T Row, object?[] Before)> _rows = [];

        internal RowChanges(DbContext db, MappedTable table, IEnumerable<T> rows)
        {
            _db = db;
            _table = table;
            _properties = table.Type.GetProperties().Where(p => !p.IsKey()).ToList();
            foreach (var row in rows) _rows.Add((row, Values(row)));
        }

        private object?[] Values(T row) => _properties.Select(p => p.GetGetter().GetClrValue(row)).ToArray();

        /// <returns>How many rows changed.</returns>
        public async Task<int> SaveAsync(CancellationToken ct = default)
        {
            var changedColumns = new bool[_properties.Count];
            var changedRows = new List<T>();
            foreach (var (row, before) in _rows)
            {
                var after = Values(row);
                var changed = false;
                for (var i = 0; i < after.Length; i++)
                {
                    if (Equals(before[i], after[i])) continue;
                    changedColumns[i] = changed = true;
                }
                if (changed) changedRows.Add(row);
            }
            if (changedRows.Count == 0) return 0;
            var key = _table.Type.FindPrimaryKey()!.Properties.Single();
            var set = _properties.Where((_, i) => changedColumns[i]).ToList();
            var sql = _db.GetService<ISqlGenerationHelper>();
            var name = sql.DelimitIdentifier(_table.Name);
            var keyColumn = sql.DelimitIdentifier(_table.Column(key));
            var columns = new List<IProperty> { key };
            columns.AddRange(set);
            Func<string, string> statement;
            if (_db.Database.IsNpgsql())
            {
                // A CTE of the new values joined to the table by key: one statement per chunk of rows.
                var valueNames = string.Join(", ", columns.Select((_, i) => $"c{i}"));
                var assignments = string.Join(", ", set.Select((p, i) => $"{sql.DelimitIdentifier(_table.Column(p))} = v.c{i + 1}"));
                statement = values => $"WITH v ({valueNames}) AS (VALUES {values}) UPDATE {name} SET {assignments} FROM v WHERE {name}.{keyColumn} = v.c0";
            }
            else
            {
                // One row per statement on SQLite (see ExecuteInChunksAsync): a plain update by key, whose plan is a key lookup. The
                // same update joined to a one-row CTE stepped ten times slower in a profile.
                var byKey = $"UPDATE {name} SET {string.Join(", ", set.Select((p, i) => $"{sql.DelimitIdentifier(_table.Column(p))} = @p{i + 1}"))} WHERE {keyColumn} = @p0";
                statement = _ => byKey;
            }
            await ExecuteInChunksAsync(_db, changedRows, columns, ct, statement);
            return changedRows.Count;
        }
    }

    internal sealed record MappedTable(IEntityType Type, string Name, StoreObjectIdentifier Store)
    {
        public string Column(IProperty property) => property.GetColumnName(Store)!;
    }

    private static MappedTable Table<T>(DbContext db)
    {
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var name = type.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        return new MappedTable(type, name, StoreObjectIdentifier.Table(name, type.GetSchema()));
    }

    /// <summary>
    /// Runs <paramref name="statement"/> with every row's values as parameters. On PostgreSQL, once per chunk of rows (a round
    /// trip saved per row). On SQLite, which has no round trips, once per row through one prepared statement: Microsoft.Data.Sqlite
    /// finds each named parameter by a linear search, so a multi-row statement's binding costs parameters², and preparing its
    /// long text costs more than stepping a prepared one-row statement again (a profile of a 5,000-host broadcast had half
    /// of these writes' CPU in binding and preparing 250-parameter statements).
    /// </summary>
    private static async Task ExecuteInChunksAsync<T>(DbContext db, IReadOnlyList<T> rows, IReadOnlyList<IProperty> columns, CancellationToken ct,
        Func<string, string> statement) where T : class
    {
        var perStatement = db.Database.IsNpgsql() ? Math.Max(1, Math.Min(MaxRowsPerStatement, MaxParametersPostgres / columns.Count)) : 1;
        var mappings = columns.Select(c => c.GetRelationalTypeMapping()).ToList();
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();

        DbCommand NewCommand(int rowCount)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = statement(Placeholders(rowCount, columns.Count));
            return command;
        }

        async Task RunAsync(DbCommand command, int start, int end)
        {
            command.Parameters.Clear();
            for (var r = start; r < end; r++)
                for (var c = 0; c < columns.Count; c++)
                    command.Parameters.Add(mappings[c].CreateParameter(command, $"@p{(r - start) * columns.Count + c}",
                        columns[c].GetGetter().GetClrValue(rows[r]), columns[c].IsNullable));
            await command.ExecuteNonQueryAsync(ct);
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // Every full chunk has the same text and shares one command (prepared once on SQLite); a shorter last chunk has its own.
            DbCommand? full = null;
            try
            {
                for (var start = 0; start < rows.Count; start += perStatement)
                {
                    var end = Math.Min(rows.Count, start + perStatement);
                    if (end - start == perStatement)
                    {
                        full ??= NewCommand(perStatement);
                        await RunAsync(full, start, end);
                    }
                    else
                    {
                        await using var last = NewCommand(end - start);
                        await RunAsync(last, start, end);
                    }
                }
            }
            finally
            {
                if (full is not null) await full.DisposeAsync();
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary><c>(@p0, @p1), (@p2, @p3)</c> for two rows of two columns.</summary>
    private static string Placeholders(int rows, int columns)
    {
        var values = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            values.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                if (c > 0) values.Append(", ");
                values.Append("@p").Append(r * columns + c);
            }
            values.Append(')');
        }
        return values.ToString();
    }
}
