using Fleet.Domain;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Domain.Execution;

public sealed class JobTemplateTests
{
    private static JobTemplate Template() => new("Deploy", "Deploys", "deploy --env <%= input('env') %> --token <%= input(\"token\") %>",
    [
        new TemplateInput("env", Required: true, Default: "staging", Options: ["staging", "production"]),
        new TemplateInput("token", Required: true, Sensitive: true),
    ], descriptionFormat: "Deploy to %{env} with %{token}");

    [Fact]
    public void Render_FillsPlaceholdersInBothQuoteStyles()
    {
        var template = Template();
        var inputs = template.ResolveInputs(new Dictionary<string, string> { ["token"] = "s3cret" });
        Assert.Equal("deploy --env staging --token s3cret", template.Render(inputs));
    }

    [Fact]
    public void SensitiveValues_AreMaskedInTheShownScriptAndDescription()
    {
        var template = Template();
        var inputs = template.ResolveInputs(new Dictionary<string, string> { ["token"] = "s3cret", ["env"] = "production" });
        Assert.DoesNotContain("s3cret", template.RenderMasked(inputs));
        Assert.Equal("Deploy to production with *****", template.Describe(inputs));
    }

    [Fact]
    public void ResolveInputs_NamesEveryProblem()
    {
        var error = Assert.Throws<DomainException>(() => Template().ResolveInputs(new Dictionary<string, string> { ["env"] = "moon", ["colour"] = "red" }));
        Assert.Contains("'colour' is not an input", error.Message);
        Assert.Contains("'token' is required", error.Message);
        Assert.Contains("must be one of: staging, production", error.Message);
    }

    [Fact]
    public void Constructor_RejectsAScriptUsingAnUndefinedInput() =>
        Assert.Throws<DomainException>(() => new JobTemplate("t", "c", "echo <%= input('missing') %>", []));

    [Theory]
    [InlineData(" ", "echo", nameof(JobTemplate.Name))]
    [InlineData("t", " ", nameof(JobTemplate.Script))]
    [InlineData("t", "echo <%= input('missing') %>", nameof(JobTemplate.Script))]
    public void Update_BreakingARule_NamesTheFieldAndChangesNothing(string name, string script, string field)
    {
        var template = Template();
        var error = Assert.Throws<DomainException>(() => template.Update(name, "c", script, []));
        Assert.Equal(field, error.Field);
        Assert.Equal("Deploy", template.Name);
        Assert.Equal(2, template.Inputs.Count);
    }

    [Fact]
    public void Update_ReplacesEveryField()
    {
        var template = Template();
        template.Update(" Deploy v2 ", "", "deploy <%= input('app') %>", [new TemplateInput("app")], "new", "deployer", 90, "%{app}", "deploy");
        Assert.Equal(("Deploy v2", "Commands", "deploy <%= input('app') %>"), (template.Name, template.JobCategory, template.Script));
        Assert.Equal(["app"], template.Inputs.Select(i => i.Name));
        Assert.Equal(("new", "deployer", (int?)90, "%{app}", "deploy"),
            (template.Description, template.EffectiveUser, template.DefaultTimeoutSeconds, template.DescriptionFormat, template.Feature));
    }

    [Fact]
    public void Update_AnInputDefinedTwice_IsRefusedOnInputs() =>
        Assert.Equal(nameof(JobTemplate.Inputs),
            Assert.Throws<DomainException>(() => Template().Update("t", "c", "echo", [new TemplateInput("a"), new TemplateInput("a")])).Field);

    [Fact]
    public void Clone_CopiesTheContentUnderTheNewName_ButNotTheFeature()
    {
        var original = new JobTemplate("Run", "Commands", "<%= input('command') %>", [new TemplateInput("command", Required: true)], "desc", "root", 30, "Run %{command}", "run_script");
        var copy = original.Clone("Run (copy)");
        Assert.Equal("Run (copy)", copy.Name);
        Assert.Equal((original.JobCategory, original.Script, original.Description, original.EffectiveUser, original.DefaultTimeoutSeconds, original.DescriptionFormat),
            (copy.JobCategory, copy.Script, copy.Description, copy.EffectiveUser, copy.DefaultTimeoutSeconds, copy.DescriptionFormat));
        Assert.Equal(original.Inputs, copy.Inputs);
        Assert.Null(copy.Feature);
        Assert.Throws<DomainException>(() => original.Clone(""));
    }
}
