using Bunit;
using Fleet.Domain.Execution;
using Fleet.Web.Components.Jobs;
using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Jobs;

/// <summary>Each wizard step alone, over a shared draft.</summary>
public sealed class StepsTests : FleetPageTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void StepWhat_ChoosingATemplate_PrefillsItsDefaults()
    {
        RenderProviders();
        var draft = new JobDraft();
        draft.ChooseTemplate(Templates.Items[1]);
        var step = Render<StepWhat>(p => p.Add(s => s.Draft, draft).Add(s => s.Templates, Templates.Items));
        Assert.Contains("Deploy an app", step.Find("#template-description").TextContent);
        Assert.Equal("staging", draft.Inputs["env"]);
        Assert.Equal(120, draft.ExecutionTimeoutSeconds);
    }

    [Fact]
    public void StepInputs_RendersAFieldPerInput_AndRequiredBlocksNext()
    {
        RenderProviders();
        var draft = new JobDraft();
        draft.ChooseTemplate(Templates.Items[1]);
        var step = Render<StepInputs>(p => p.Add(s => s.Draft, draft));
        Assert.Equal("password", step.Find("#input-token").GetAttribute("type"));
        Assert.Contains("token is required.", draft.Problems(JobDraft.InputsStep, Now));
        step.Find("#input-token").Input("s3cret");
        Assert.Empty(draft.Problems(JobDraft.InputsStep, Now));
    }

    [Fact]
    public void StepReview_MasksSensitiveInputs()
    {
        var draft = new JobDraft();
        draft.ChooseTemplate(Templates.Items[1]);
        draft.Inputs["token"] = "s3cret";
        var step = Render<StepReview>(p => p.Add(s => s.Draft, draft));
        Assert.DoesNotContain("s3cret", step.Markup);
        Assert.Contains("••••", step.Find("[data-review-input=token]").TextContent);
        Assert.Contains("staging", step.Find("[data-review-input=env]").TextContent);
    }

    [Fact]
    public void StepTargets_ShowsTheSyntaxError()
    {
        Invocations.Preview = _ => throw new SearchSyntaxException("Unknown field 'nmae' at position 0", 0);
        RenderProviders();
        var draft = new JobDraft();
        var step = Render<StepTargets>(p => p.Add(s => s.Draft, draft));
        step.Find("#target-query").Input("nmae = x");
        step.WaitForAssertion(() => Assert.Contains("Unknown field 'nmae' at position 0", step.Markup), TimeSpan.FromSeconds(3));
        Assert.Contains("Unknown field 'nmae' at position 0", draft.Problems(JobDraft.TargetsStep, Now));
    }

    [Fact]
    public void StepWhen_Recurring_ShowsFiveNextRuns_OrTheCronError()
    {
        RenderProviders();
        var draft = new JobDraft { When = WhenMode.Recurring, TimeZoneId = "UTC" };
        var step = Render<StepWhen>(p => p.Add(s => s.Draft, draft));
        step.Find("#cron-line").Input("0 3 * * *");
        step.WaitForAssertion(() => Assert.Equal(5, step.FindAll("#next-occurrences li").Count), TimeSpan.FromSeconds(3));
        Assert.All(step.FindAll("#next-occurrences li"), li => Assert.Contains("03:00", li.TextContent));
        Assert.Equal("At 03:00, every day", step.Find("#cron-description").TextContent);
        step.Find("#cron-line").Input("not a cron");
        step.WaitForAssertion(() => Assert.NotNull(draft.CronError), TimeSpan.FromSeconds(3));
        Assert.Empty(step.FindAll("#cron-description"));
        Assert.NotEmpty(draft.Problems(JobDraft.WhenStep, Now));
    }

    [Fact]
    public void Draft_ToNewJob_CarriesTemplateInputsScheduleAndAdvanced()
    {
        var draft = new JobDraft { SearchQuery = "platform = linux", Targeting = TargetingType.DynamicQuery, When = WhenMode.Recurring, CronLine = "5 * * * *", TimeZoneId = "UTC", ConcurrencyLevel = 3, RandomizedOrdering = true };
        draft.ChooseTemplate(Templates.Items[1]);
        draft.Inputs["token"] = "t";
        var job = draft.ToNewJob();
        Assert.Equal((2L, "staging", "5 * * * *", 3, TargetingType.DynamicQuery, true), (job.TemplateId!.Value, job.Inputs["env"], job.CronLine, job.ConcurrencyLevel!.Value, job.Targeting, job.RandomizedOrdering));
        Assert.Null(job.StartAt);
    }
}
