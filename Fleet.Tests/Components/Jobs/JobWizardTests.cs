using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Fleet.Domain.Execution;
using Fleet.Web.Components.Jobs;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;

namespace Fleet.Tests.Components.Jobs;

public sealed class JobWizardTests : FleetPageTestContext
{
    [Fact]
    public void Next_OnAnEmptyFirstStep_StaysAndSaysWhy()
    {
        RenderProviders();
        var wizard = Render<JobWizard>();
        wizard.Find(".mud-stepper-button-next").Click();
        Assert.Contains("Choose a job template", wizard.Find("#step-problems").TextContent);
        Assert.Equal("true", wizard.Find(".mud-step.active").GetAttribute("aria-selected"));
        Assert.Contains("What", wizard.Find(".mud-step.active").TextContent);
    }

    [Fact]
    public async Task AdHocCommandThroughEveryStep_CreatesTheJobAndOpensIt()
    {
        Invocations.Preview = q => new TargetPreview(2, [Host("web-1"), Host("web-2")]);
        RenderProviders();
        var wizard = Render<JobWizard>();
        wizard.Find("#mode-adhoc").Click();
        wizard.Find("#adhoc-command").Input("uptime");
        Assert.DoesNotContain(wizard.FindAll(".mud-step"), step => step.TextContent.Contains("Inputs"));
        Next(wizard, "Targets");
        wizard.Find("#target-query").Input("name ~ web");
        wizard.WaitForAssertion(() => Assert.Contains("2", wizard.Find("#target-count").TextContent));
        Next(wizard, "When");
        Next(wizard, "Advanced");
        wizard.Find("#concurrency-level").Change("5");
        Next(wizard, "Review");
        Assert.Empty(wizard.FindAll(".mud-stepper-button-next"));
        Assert.DoesNotContain(wizard.FindAll("button"), b => b.TextContent.Contains("Complete"));
        await wizard.Find("#run-job").ClickAsync(new());
        var job = Assert.Single(Invocations.Created);
        Assert.Equal("uptime", job.AdHocCommand);
        Assert.Equal("name ~ web", job.SearchQuery);
        Assert.Equal(5, job.ConcurrencyLevel);
        Assert.EndsWith("/jobs/42", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void EmptyQuery_SaysItTargetsNothing_AndTheCountFollowsATypedQuery()
    {
        Invocations.Preview = q => new TargetPreview(2, [Host("web-1"), Host("web-2")]);
        RenderProviders();
        var wizard = Render<JobWizard>();
        wizard.Find("#mode-adhoc").Click();
        wizard.Find("#adhoc-command").Input("uptime");
        Next(wizard, "Targets");
        Assert.Contains("an empty query targets nothing", wizard.Find("#target-count-empty").TextContent);
        Assert.Empty(wizard.FindAll("#target-count"));

        wizard.Find("#target-query").Input("name ~ web");
        wizard.WaitForAssertion(() => Assert.Equal("2 matching hosts", wizard.Find("#target-count").TextContent.Trim()));
        Assert.Empty(wizard.FindAll("#target-count-empty"));

        wizard.Find("#target-query").Input("  ");
        wizard.WaitForAssertion(() => Assert.Single(wizard.FindAll("#target-count-empty")));
    }

    [Fact]
    public void TemplateWithInputs_HasAnInputsStep_AfterWhat()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/jobs/new?template=2");
        RenderProviders();
        var wizard = Render<JobWizard>();
        Assert.Equal(["What", "Inputs", "Targets", "When", "Advanced", "Review"],
            wizard.FindAll(".mud-step").Select(s => s.TextContent.Trim()).Select(t => t[(t.IndexOfAny("0123456789".ToCharArray()) + 1)..].Trim()));
        Next(wizard, "Inputs");
    }

    [Fact]
    public async Task HostsInTheAddress_ArePicked_AndTheJobTargetsExactlyThem()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/jobs/new?hosts={first},not-an-id,{second}");
        RenderProviders();
        var wizard = Render<JobWizard>();
        wizard.Find("#mode-adhoc").Click();
        wizard.Find("#adhoc-command").Input("uptime");
        Next(wizard, "Targets");
        wizard.WaitForAssertion(() => Assert.Equal("2 selected", wizard.Find("#picked-count").TextContent.Trim()));
        Next(wizard, "When");
        Next(wizard, "Advanced");
        Next(wizard, "Review");
        await wizard.Find("#run-job").ClickAsync(new());
        var job = Assert.Single(Invocations.Created);
        Assert.Equal(new[] { first, second }.Order(), job.HostIds!.Order());
    }

    /// <summary>Clicks Next and waits until the stepper shows the expected step.</summary>
    private static void Next(IRenderedComponent<JobWizard> wizard, string expected)
    {
        wizard.Find(".mud-stepper-button-next").Click();
        wizard.WaitForAssertion(() => Assert.Contains(expected, wizard.Find(".mud-step.active").TextContent));
    }

    private static HostRow Host(string name) => new(Guid.NewGuid(), name, "online", "linux", "Debian 12", "10.0.0.1", "0.1.0", DateTimeOffset.UtcNow, null);
}
