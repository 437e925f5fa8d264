using System.Net;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Fleet.Web.Jobs;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fleet.Tests.Data;

/// <summary>Fleet on PostgreSQL (<c>Fleet:Database:Provider</c> = Postgres), each test on a fresh database of a private cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDatabaseTests(PostgresServer postgres)
{
    [Fact]
    public async Task Start_OnAnEmptyDatabase_AppliesThePostgresMigrationsAndServes()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var server = new FleetServer(PostgresServer.FleetSettings(connectionString));

        await using (var db = server.Db())
        {
            Assert.IsType<PostgresFleetDbContext>(db);
            Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
            Assert.Contains(await db.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_InitialPostgres", StringComparison.Ordinal));
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            // The start-up reconciler seeded the built-in templates through EF Core on PostgreSQL.
            Assert.NotEmpty(await db.JobTemplates.AsNoTracking().ToListAsync());
        }
        Assert.IsType<PostgreSqlStorage>(server.Get<JobStorage>());
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var schema = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = @schema", connection);
            schema.Parameters.AddWithValue("schema", HangfireSetup.PostgreSqlSchema);
            Assert.True((long)(await schema.ExecuteScalarAsync())! > 0, "Hangfire's tables are in their own schema");
        }
        using var api = server.Api();
        using var ready = await api.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        // Keys and agent packages go to Fleet:DataFolder, as the database is not a file.
        Assert.True(Directory.Exists(Path.Combine(server.DataDirectory, DataFolder.KeysFolderName)));
    }

    [Fact]
    public async Task HeartbeatFlush_OnPostgres_WritesTheHostsLastSeen_RoundedDownToTheSecond()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var server = new FleetServer(PostgresServer.FleetSettings(connectionString));
        var longAgo = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var host = new Fleet.Domain.Hosts.ManagedHost(Guid.NewGuid(), "m-heartbeat", "heartbeat", longAgo);
        await using (var db = server.Db())
        {
            db.Hosts.Add(host);
            await db.SaveChangesAsync();
        }
        var heartbeats = server.Get<Fleet.Web.Engine.HeartbeatRecorder>();
        heartbeats.Seen(host.Id);
        await heartbeats.FlushAsync();

        await using var read = server.Db();
        var stored = await read.Hosts.AsNoTracking().Where(h => h.Id == host.Id).Select(h => h.LastSeen).SingleAsync();
        var heard = heartbeats.LastSeen(host.Id)!.Value;
        Assert.Equal(heard.UtcTicks - heard.UtcTicks % TimeSpan.TicksPerSecond, stored.UtcTicks);
    }

    [Fact]
    public Task BulkInsert_OnPostgres_StoresEveryColumnAsTheModelMapsIt() => OnAFreshServerAsync(BulkWritesTests.InsertRoundTripAsync);

    [Fact]
    public Task BulkSave_OnPostgres_WritesTheRowsThatChanged_AndLeavesOtherRowsAsOthersLeftThem() => OnAFreshServerAsync(BulkWritesTests.SaveOnlyChangedRowsAsync);

    [Fact]
    public Task IdList_LongerThanAStatementTakesParameters_IsQueriedInOnePiece_OnPostgres() => OnAFreshServerAsync(QueryOptionsTests.LongIdListAsync);

    /// <summary>A provider-neutral check (shared with the SQLite tests) against a server on a fresh PostgreSQL database.</summary>
    private async Task OnAFreshServerAsync(Func<Func<FleetDbContext>, Task> check)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var server = new FleetServer(PostgresServer.FleetSettings(connectionString));
        await check(server.Db);
    }

    [Fact]
    public async Task Time_WithAnOffset_IsStoredAsTheSameInstant()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var server = new FleetServer(PostgresServer.FleetSettings(connectionString));
        var at = new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.FromHours(2));
        await using (var db = server.Db())
        {
            db.FleetSamples.Add(new FleetSampleRecord { At = at, Total = 3, Online = 2 });
            await db.SaveChangesAsync();
        }
        await using var read = server.Db();
        var stored = await read.FleetSamples.AsNoTracking().SingleAsync(s => s.At == at);
        Assert.Equal(at.UtcDateTime, stored.At.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, stored.At.Offset);
        Assert.Equal(1, await read.FleetSamples.CountAsync(s => s.At > at.AddSeconds(-1) && s.At < at.AddSeconds(1)));
    }

    [Fact]
    public async Task DuplicateUniqueValue_IsRecognisedAsAUniqueViolation()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var server = new FleetServer(PostgresServer.FleetSettings(connectionString));
        await using var db = server.Db();
        // The bootstrap admin exists already.
        db.Users.Add(new UserRecord { Id = Guid.NewGuid(), Username = "admin", PasswordHash = "x", Role = "viewer", CreatedAt = DateTimeOffset.UtcNow });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(DbErrors.IsUniqueViolation(error), error.InnerException?.GetType().Name);
    }

    [Fact]
    public async Task Job_AcrossRealAgents_CompletesWithEveryResultPersisted()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var server = new FleetServer(PostgresServer.FleetSettings(connectionString));
        string[] hostnames = ["pg-agent-1", "pg-agent-2", "pg-agent-3", "pg-agent-4"];
        foreach (var hostname in hostnames) await server.StartAcceptedAgentAsync(hostname);

        var id = await server.RunAsync("echo out-ok; echo err >&2", "name ~ pg-agent", concurrency: 2);
        var results = await server.WaitForEndAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(hostnames.Order(), results.Select(r => r.Hostname).Order());
        Assert.All(results, r =>
        {
            Assert.Equal(TargetRunStatus.Success, r.Status);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("out-ok\n", r.Stdout);
            Assert.Equal("err\n", r.Stderr);
        });
        await using var db = server.Db();
        var commands = await db.Commands.AsNoTracking().Where(c => db.TargetRuns.Any(r => r.InvocationId == id && r.Id == c.TargetRunId)).ToListAsync();
        Assert.Equal(hostnames.Length, commands.Count);
        Assert.All(commands, c => Assert.Equal(CommandStatus.Success, c.Status));
        // Times written through the UTC converter read back as the same instants, in order.
        Assert.All(commands, c => Assert.True(c.CreatedAt <= c.StartedAt && c.StartedAt <= c.FinishedAt, $"{c.CreatedAt:O} <= {c.StartedAt:O} <= {c.FinishedAt:O}"));
        var invocation = await db.Invocations.AsNoTracking().SingleAsync(i => i.Id == id);
        Assert.Equal(InvocationState.Stopped, invocation.State);
        Assert.Equal(hostnames.Length, invocation.Counts.Succeeded);
    }
}
