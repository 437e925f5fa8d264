using Fleet.Tests.Infrastructure;
using Fleet.Web.Audit;
using Fleet.Web.Engine;

namespace Fleet.Tests.Data;

/// <summary>
/// Every search the APIs offer ignores letter case on both providers: SQLite's LIKE ignores ASCII case and PostgreSQL's does
/// not, so the queries lower both sides themselves.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CaseInsensitiveSearchTests(PostgresServer postgres)
{
    [Fact]
    public async Task Searches_IgnoreCase_OnSqlite()
    {
        using var server = new FleetServer();
        await AssertSearchesIgnoreCaseAsync(server);
    }

    [Fact]
    public async Task Searches_IgnoreCase_OnPostgres()
    {
        using var server = new FleetServer(PostgresServer.FleetSettings(await postgres.CreateDatabaseAsync()));
        await AssertSearchesIgnoreCaseAsync(server);
    }

    private static async Task AssertSearchesIgnoreCaseAsync(FleetServer server)
    {
        await server.StartAcceptedAgentAsync("Mixed-Case-Web01");
        await server.StartAcceptedAgentAsync("other-db02");

        // Fleet status (seed 001): the host list's search.
        var hosts = await server.Get<IFleetReader>().ListHostsAsync(new HostListQuery(Search: "MIXED-case-web"));
        Assert.Equal("Mixed-Case-Web01", Assert.Single(hosts.Items).Hostname);

        // The host search language (job targets).
        var id = await server.RunAsync("true", "name ~ mIxEd-CASE");
        var results = await server.WaitForEndAsync(id);
        Assert.Equal("Mixed-Case-Web01", Assert.Single(results).Hostname);

        // Job invocations (seed 002): Foreman's search language and the dashboard's plain search.
        var queries = server.Get<IInvocationQueries>();
        Assert.Contains((await queries.SearchAsync(new InvocationSearchQuery("host = MIXED-CASE-WEB01", null, 1, null))).Items, i => i.Invocation.Id == id);
        Assert.Contains((await queries.SearchAsync(new InvocationSearchQuery("owner = TESTER", null, 1, null))).Items, i => i.Invocation.Id == id);
        Assert.DoesNotContain((await queries.SearchAsync(new InvocationSearchQuery("host = OTHER-DB02", null, 1, null))).Items, i => i.Invocation.Id == id);
        Assert.Contains((await queries.ListAsync(new InvocationListQuery(Search: "TeStEr"))).Items, i => i.Id == id);

        // The audit log (seed 001's audit API).
        var audit = server.Get<IAuditLog>();
        await audit.RecordAsync(new AuditEntry("Ops-Admin", AuditActorKinds.User, AuditSources.Api, "POST /api/v1/Things", "Thing 42", "127.0.0.1", AuditOutcomes.Success));
        Assert.Equal(1, (await audit.SearchAsync("ops-ADMIN", 10, 0)).Total);
        Assert.Equal(1, (await audit.SearchAsync("API/V1/things", 10, 0)).Total);
        Assert.Equal(0, (await audit.SearchAsync("ops-admins", 10, 0)).Total);
    }
}
