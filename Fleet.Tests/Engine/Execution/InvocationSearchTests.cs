using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.Execution;

/// <summary>Foreman's <c>search=</c> and <c>order=</c> over invocations, each term translated by EF Core on a real SQLite database.</summary>
public sealed class InvocationSearchTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryFleetDatabase _database = new();
    private readonly Dictionary<string, long> _ids = [];
    private readonly Guid _webHost = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CreateDbContext();
        var nightly = new RecurringLogic("0 2 * * *", null, null, null, "backup", Now);
        db.RecurringLogics.Add(nightly);
        await db.SaveChangesAsync();

        await AddAsync(db, "deploy", "Deploy web", "Deploys", "alice", InvocationOutcome.Succeeded, Now.AddHours(-3));
        await AddAsync(db, "broken", "Restart cache", "Services", "bob", InvocationOutcome.Failed, Now.AddHours(-2));
        await AddAsync(db, "nightly", "Nightly backup", "Backups", "alice", InvocationOutcome.Queued, Now.AddHours(-1), nightly.Id);
        var deploy = _ids["deploy"];
        db.TargetRuns.Add(new TargetRun(Guid.NewGuid(), deploy, Guid.NewGuid(), _webHost, "Web-01", Now));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task AddAsync(Fleet.Web.Data.FleetDbContext db, string key, string description, string category, string owner, InvocationOutcome outcome,
        DateTimeOffset createdAt, long? recurringLogicId = null)
    {
        var startAt = outcome == InvocationOutcome.Queued ? createdAt.AddDays(1) : (DateTimeOffset?)null;
        var invocation = new Invocation(new InvocationSpec
        {
            Description = description, JobCategory = category, Script = "true", TemplateName = $"{key} template", StartAt = startAt, RecurringLogicId = recurringLogicId,
        }, owner, createdAt);
        if (outcome != InvocationOutcome.Queued) invocation.Stop(createdAt.AddMinutes(5));
        invocation.RecordProgress(outcome switch
        {
            InvocationOutcome.Succeeded => new RunCounts(1, 0, 0, 0, 0),
            InvocationOutcome.Failed => new RunCounts(0, 1, 0, 0, 0),
            _ => new RunCounts(0, 0, 0, 0, 0),
        });
        Assert.Equal(outcome, invocation.Outcome);
        db.Invocations.Add(invocation);
        await db.SaveChangesAsync();
        _ids[key] = invocation.Id;
    }

    private async Task<string[]> SearchAsync(string? search)
    {
        await using var db = _database.CreateDbContext();
        var ids = await InvocationSearch.Apply(db.Invocations.AsNoTracking(), db, search).Select(i => i.Id).ToListAsync();
        return _ids.Where(p => ids.Contains(p.Value)).Select(p => p.Key).Order().ToArray();
    }

    [Theory]
    [InlineData(null, "broken,deploy,nightly")]
    [InlineData("", "broken,deploy,nightly")]
    [InlineData("status = failed", "broken")]
    [InlineData("status != failed", "deploy,nightly")]
    [InlineData("status ~ ed", "broken,deploy,nightly")]
    [InlineData("status !~ ed", "")]
    [InlineData("status = SUCCEEDED", "deploy")]
    [InlineData("owner = alice", "deploy,nightly")]
    [InlineData("user = BOB", "broken")]
    [InlineData("job_category ~ serv", "broken")]
    [InlineData("description !~ web", "broken,nightly")]
    [InlineData("pattern_template_name = \"nightly template\"", "nightly")]
    [InlineData("recurring = true", "nightly")]
    [InlineData("recurring = false", "broken,deploy")]
    [InlineData("recurring_logic.purpose = backup", "nightly")]
    [InlineData("host = web-01", "deploy")]
    [InlineData("backup", "nightly")]
    [InlineData("\"restart cache\"", "broken")]
    [InlineData("owner = alice and status = succeeded", "deploy")]
    [InlineData("started_at < \"2026-11-20 09:30\"", "deploy")]
    [InlineData("ended_at >= \"2026-11-20 10:00\"", "broken")]
    [InlineData("start_at > \"2026-11-21 00:00\"", "nightly")]
    public async Task Apply_FiltersByEachField(string? search, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), await SearchAsync(search));

    [Fact]
    public async Task Apply_ById_AndByHostId()
    {
        Assert.Equal(["broken"], await SearchAsync($"id = {_ids["broken"]}"));
        Assert.Equal(["broken", "nightly"], await SearchAsync($"id > {_ids["deploy"]}"));
        Assert.Equal(["deploy"], await SearchAsync($"targeted_host_id = {_webHost}"));
        Assert.Equal(["nightly"], await SearchAsync($"recurring_logic.id = {(await FirstLogicIdAsync())}"));
    }

    private async Task<long> FirstLogicIdAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.RecurringLogics.Select(l => l.Id).FirstAsync();
    }

    [Theory]
    [InlineData("colour = red", "colour")]
    [InlineData("id = seven", "id")]
    [InlineData("id ~ 7", "~")]
    [InlineData("status < failed", "<")]
    [InlineData("recurring = sometimes", "recurring")]
    [InlineData("targeted_host_id = web", "targeted_host_id")]
    [InlineData("started_at > yesterday", "started_at")]
    [InlineData("owner > alice", ">")]
    public async Task Apply_RefusesWhatItCannotUnderstand_NamingIt(string search, string named)
    {
        var error = await Assert.ThrowsAsync<InvocationSearchException>(() => SearchAsync(search));
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData(null, null, null, "nightly,broken,deploy")]
    [InlineData("id", "id", "ASC", "deploy,broken,nightly")]
    [InlineData("description DESC", "description", "DESC", "broken,nightly,deploy")]
    [InlineData("status", "status", "ASC", "broken,nightly,deploy")]
    [InlineData("status desc", "status", "DESC", "deploy,nightly,broken")]
    [InlineData("OWNER asc", "owner", "ASC", null)]
    public async Task Order_SortsAndEchoesTheFieldAndDirection(string? order, string? by, string? direction, string? expected)
    {
        await using var db = _database.CreateDbContext();
        var (query, echoedBy, echoedOrder) = InvocationSearch.Order(db.Invocations.AsNoTracking(), order);
        Assert.Equal((by, direction), (echoedBy, echoedOrder));
        var ids = await query.Select(i => i.Id).ToListAsync();
        if (expected is not null) Assert.Equal(expected.Split(',').Select(k => _ids[k]), ids);
    }

    [Theory]
    [InlineData("colour")]
    [InlineData("id sideways")]
    [InlineData("id ASC extra")]
    public async Task Order_RefusesUnknownFieldsAndDirections(string order)
    {
        await using var db = _database.CreateDbContext();
        Assert.Throws<InvocationSearchException>(() => InvocationSearch.Order(db.Invocations.AsNoTracking(), order));
    }
}
