using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Fleet.Web.Engine;

/// <summary>
/// Work that must run on one server instance at a time across the cluster: periodic sweeps that change shared state, the
/// start-up reconciler, and each dispatch pass over an invocation. On SQLite there is one instance and every lock is
/// granted at once; on PostgreSQL they are advisory locks, held by a transaction for exactly as long as the work runs
/// (a crashed instance's connection ends, and its locks with it).
/// </summary>
public interface IClusterLock
{
    /// <summary>True when other instances may run this engine against the same database (and may die holding its work).</summary>
    bool IsShared { get; }

    /// <summary>
    /// Runs <paramref name="work"/> unless another instance is running work under the same name right now.
    /// For periodic work: skipping one tick is fine, the holder does it.
    /// </summary>
    /// <returns>False when another instance held the lock and the work was skipped.</returns>
    Task<bool> TryRunAsync(string name, Func<CancellationToken, Task> work, CancellationToken ct);

    /// <summary>Runs <paramref name="work"/> once no other instance runs work for the same invocation, waiting for it if one does.</summary>
    Task<T> RunForInvocationAsync<T>(long invocationId, Func<Task<T>> work, CancellationToken ct);
}

/// <summary>One instance (SQLite): nobody else can hold a lock.</summary>
public sealed class LocalClusterLock : IClusterLock
{
    public bool IsShared => false;

    public async Task<bool> TryRunAsync(string name, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        await work(ct);
        return true;
    }

    public Task<T> RunForInvocationAsync<T>(long invocationId, Func<Task<T>> work, CancellationToken ct) => work();
}

/// <summary>PostgreSQL advisory locks (<c>pg_try_advisory_xact_lock</c> / <c>pg_advisory_xact_lock</c>) on a connection of their own.</summary>
public sealed class PostgresClusterLock(string connectionString) : IClusterLock
{
    // The two-key form keeps these apart from single-key advisory locks (migrations, Hangfire's schema); the first key says
    // what the second one names.
    public bool IsShared => true;

    private const int NamedWork = 0x466C_0001;
    private const int InvocationDispatch = 0x466C_0002;

    public async Task<bool> TryRunAsync(string name, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@kind, @key)", connection, transaction))
        {
            take.Parameters.AddWithValue("kind", NamedWork);
            take.Parameters.AddWithValue("key", KeyOf(name));
            if (await take.ExecuteScalarAsync(ct) is not true) return false;
        }
        await work(ct);
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    public async Task<T> RunForInvocationAsync<T>(long invocationId, Func<Task<T>> work, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@kind, @key)", connection, transaction))
        {
            take.Parameters.AddWithValue("kind", InvocationDispatch);
            // Two invocations folding onto one key only wait for each other; neither is ever run twice at once.
            take.Parameters.AddWithValue("key", unchecked((int)(invocationId ^ (invocationId >> 32))));
            await take.ExecuteNonQueryAsync(ct);
        }
        var result = await work();
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    private static int KeyOf(string name) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);
}
