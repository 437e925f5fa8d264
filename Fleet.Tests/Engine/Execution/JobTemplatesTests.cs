using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Execution;

namespace Fleet.Tests.Engine.Execution;

/// <summary>The template rules the engine owns: unique names, and no deleting a template a scheduled job still needs.</summary>
public sealed class JobTemplatesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryFleetDatabase _database = new();
    private JobTemplates _templates = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _templates = new JobTemplates(_database);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private static JobTemplateDraft Draft(string name, string script = "echo <%= input('what') %>") =>
        new(name, "Tests", script, [new TemplateInput("what", Required: true)], "says what", null, 30, "Say %{what}", null);

    private async Task AddInvocationAsync(long templateId, DateTimeOffset? startAt = null, bool recurring = false, bool stop = false)
    {
        await using var db = _database.CreateDbContext();
        long? logicId = null;
        if (recurring)
        {
            var logic = new RecurringLogic("0 * * * *", null, null, null, null, Now);
            db.RecurringLogics.Add(logic);
            await db.SaveChangesAsync();
            logicId = logic.Id;
        }
        var invocation = new Invocation(new InvocationSpec { TemplateId = templateId, Script = "echo", StartAt = startAt, RecurringLogicId = logicId }, "alice", Now);
        if (stop) invocation.Stop(Now);
        db.Invocations.Add(invocation);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Create_ThenGetAndList_ShowIt()
    {
        var created = await _templates.CreateAsync(Draft("Say"));
        Assert.Equal(("Say", "Tests", 30), (created.Name, created.JobCategory, created.DefaultTimeoutSeconds));
        var read = await _templates.GetAsync(created.Id);
        Assert.Equal((created.Name, created.Script, created.DescriptionFormat), (read!.Name, read.Script, read.DescriptionFormat));
        Assert.Equal(["what"], read.Inputs.Select(i => i.Name));
        Assert.Contains(await _templates.ListAsync(), t => t.Id == created.Id);
        Assert.Null(await _templates.GetAsync(created.Id + 1000));
    }

    [Fact]
    public async Task Create_ATakenName_IsRefusedOnName()
    {
        await _templates.CreateAsync(Draft("Say"));
        var error = await Assert.ThrowsAsync<DomainException>(() => _templates.CreateAsync(Draft("Say")));
        Assert.Equal(nameof(JobTemplate.Name), error.Field);
        Assert.Single(await _templates.ListAsync());
    }

    [Fact]
    public async Task Update_ReplacesTheContent_AndRefusesAnotherTemplatesName()
    {
        var say = await _templates.CreateAsync(Draft("Say"));
        await _templates.CreateAsync(Draft("Shout"));
        var updated = await _templates.UpdateAsync(say.Id, Draft("Say louder", "echo <%= input('what') %>!"));
        Assert.Equal(("Say louder", "echo <%= input('what') %>!"), (updated.Name, (await _templates.GetAsync(say.Id))!.Script));
        Assert.Equal(nameof(JobTemplate.Name), (await Assert.ThrowsAsync<DomainException>(() => _templates.UpdateAsync(say.Id, Draft("Shout")))).Field);
        Assert.Equal("Say louder", (await _templates.GetAsync(say.Id))!.Name);
        await Assert.ThrowsAsync<JobTemplateNotFoundException>(() => _templates.UpdateAsync(say.Id + 1000, Draft("Nobody")));
    }

    [Fact]
    public async Task Clone_CopiesUnderANewName()
    {
        var say = await _templates.CreateAsync(Draft("Say"));
        var copy = await _templates.CloneAsync(say.Id, "Say again");
        Assert.NotEqual(say.Id, copy.Id);
        Assert.Equal("Say again", copy.Name);
        Assert.Equal((say.Script, say.JobCategory, say.Description, say.DescriptionFormat, say.DefaultTimeoutSeconds),
            (copy.Script, copy.JobCategory, copy.Description, copy.DescriptionFormat, copy.DefaultTimeoutSeconds));
        Assert.Equal(say.Inputs.Select(i => i.Name), copy.Inputs.Select(i => i.Name));
        await Assert.ThrowsAsync<DomainException>(() => _templates.CloneAsync(say.Id, "Say"));
        await Assert.ThrowsAsync<JobTemplateNotFoundException>(() => _templates.CloneAsync(say.Id + 1000, "Other"));
    }

    [Fact]
    public async Task Delete_AnUnusedTemplate_OrOneOnlyFinishedJobsUsed_RemovesIt()
    {
        var say = await _templates.CreateAsync(Draft("Say"));
        await AddInvocationAsync(say.Id, stop: true);
        await _templates.DeleteAsync(say.Id);
        Assert.Null(await _templates.GetAsync(say.Id));
        await Assert.ThrowsAsync<JobTemplateNotFoundException>(() => _templates.DeleteAsync(say.Id));
    }

    [Fact]
    public async Task Delete_ATemplateAScheduledJobUses_IsRefused()
    {
        var say = await _templates.CreateAsync(Draft("Say"));
        await AddInvocationAsync(say.Id, startAt: Now.AddHours(1));
        var error = await Assert.ThrowsAsync<DomainException>(() => _templates.DeleteAsync(say.Id));
        Assert.Contains("scheduled", error.Message);
        Assert.NotNull(await _templates.GetAsync(say.Id));
    }

    [Fact]
    public async Task Delete_ATemplateARecurringJobUses_IsRefused_EvenWhileItsLastRunHasEnded()
    {
        var say = await _templates.CreateAsync(Draft("Say"));
        await AddInvocationAsync(say.Id, recurring: true, stop: true);
        await Assert.ThrowsAsync<DomainException>(() => _templates.DeleteAsync(say.Id));
        Assert.NotNull(await _templates.GetAsync(say.Id));
    }
}
