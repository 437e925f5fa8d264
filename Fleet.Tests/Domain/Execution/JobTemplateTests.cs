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
}
