using Fleet.Domain;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Domain.Execution;

public sealed class InvocationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static InvocationSpec FullSpec() => new()
    {
        JobCategory = "Deploys",
        Description = "Deploy web",
        TemplateId = 7,
        TemplateName = "Deploy",
        Feature = "deploy",
        Origin = InvocationOrigin.Broadcast,
        CommandKind = CommandKind.Script,
        Script = "deploy *****",
        SealedScript = "sealed",
        InputsJson = "{\"env\":\"prod\"}",
        EffectiveUser = "deployer",
        TargetingType = TargetingType.DynamicQuery,
        SearchQuery = "name ~ web",
        BookmarkId = 3,
        RandomizedOrdering = true,
        ConcurrencyLevel = 4,
        TimeToPickupSeconds = 30,
        ExecutionTimeoutSeconds = 600,
        Waves = "1, rest",
        WavePauseSeconds = 10,
        FailureThreshold = "10%",
        TargetRunTimeoutSeconds = 3600,
    };

    [Fact]
    public void ToSpec_GivesBackWhatItWasCreatedFrom_ButNotItsTimingOrTargets()
    {
        var spec = FullSpec();
        var invocation = new Invocation(spec with { StartAt = Now.AddHours(1), StartBefore = Now.AddHours(2), RecurringLogicId = 5, HostIds = [Guid.NewGuid()] }, "alice", Now);
        Assert.Equal(spec, invocation.ToSpec());
    }

    [Fact]
    public void ToSpec_CreatesAnEqualInvocation()
    {
        var first = new Invocation(FullSpec(), "alice", Now);
        var again = new Invocation(first.ToSpec(), "bob", Now.AddDays(1));
        Assert.Equal(first.ToSpec(), again.ToSpec());
        Assert.Equal(InvocationState.Running, again.State);
    }

    [Theory]
    [InlineData(nameof(InvocationSpec.ConcurrencyLevel))]
    [InlineData(nameof(InvocationSpec.TimeToPickupSeconds))]
    [InlineData(nameof(InvocationSpec.ExecutionTimeoutSeconds))]
    [InlineData(nameof(InvocationSpec.TargetRunTimeoutSeconds))]
    [InlineData(nameof(InvocationSpec.WavePauseSeconds))]
    [InlineData(nameof(InvocationSpec.StartBefore))]
    public void Validate_NamesTheDomainFieldAtFault_InWordsWithoutWireNames(string field)
    {
        var spec = field switch
        {
            nameof(InvocationSpec.ConcurrencyLevel) => FullSpec() with { ConcurrencyLevel = 0 },
            nameof(InvocationSpec.TimeToPickupSeconds) => FullSpec() with { TimeToPickupSeconds = -1 },
            nameof(InvocationSpec.ExecutionTimeoutSeconds) => FullSpec() with { ExecutionTimeoutSeconds = 0 },
            nameof(InvocationSpec.TargetRunTimeoutSeconds) => FullSpec() with { TargetRunTimeoutSeconds = 0 },
            nameof(InvocationSpec.WavePauseSeconds) => FullSpec() with { WavePauseSeconds = -1 },
            _ => FullSpec() with { StartAt = Now, StartBefore = Now },
        };
        var error = Assert.Throws<DomainException>(() => new Invocation(spec, "alice", Now));
        Assert.Equal(field, error.Field);
        Assert.DoesNotContain("_", error.Message);
    }

    [Fact]
    public void RecordProgress_KeepsTheOutcomeOfStateAndCounts()
    {
        var invocation = new Invocation(FullSpec(), "alice", Now);
        invocation.RecordProgress(new RunCounts(1, 0, 0, 1, 0));
        Assert.Equal(InvocationOutcome.Running, invocation.Outcome);
        invocation.Stop(Now.AddMinutes(1));
        invocation.RecordProgress(new RunCounts(1, 1, 0, 0, 0));
        Assert.Equal(InvocationOutcome.Failed, invocation.Outcome);
    }
}
