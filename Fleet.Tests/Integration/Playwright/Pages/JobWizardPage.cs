using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary><c>/jobs/new</c>: the job wizard, step by step (What → [Inputs] → Targets → When → Advanced → Review).</summary>
public sealed class JobWizardPage(BrowserSession browser) : DashboardPage(browser)
{
    public async Task<JobWizardPage> OpenAsync()
    {
        await GotoAsync("/jobs/new");
        return this;
    }

    /// <summary>Chooses an ad-hoc command and moves on; an ad-hoc command has no Inputs step, so this lands on Targets.</summary>
    public async Task AdHocCommandAsync(string command)
    {
        await Page.GetByText("Ad-hoc command").ClickAsync();
        await Page.FillAsync("#adhoc-command", command);
        await NextAsync();
    }

    /// <summary>Enters a host search, waits for the live preview to count <paramref name="expectedHosts"/>, and moves on.</summary>
    public async Task TargetsAsync(string query, int expectedHosts)
    {
        await Page.FillAsync("#target-query", query);
        await Assertions.Expect(Page.Locator("#target-count")).ToContainTextAsync($"{expectedHosts} matching host");
        await NextAsync();
    }

    public ILocator PickedCount => Page.Locator("#picked-count");

    /// <summary>A host's box in the Targets step's "Pick hosts" list.</summary>
    public ILocator PickBox(string hostname) =>
        Page.Locator($"[data-pick-host='{hostname}'] input, input[data-pick-host='{hostname}']");

    internal Task ExpectOpenAsync() => ExpectUrlAsync(@"/jobs/new(\?.*)?$");

    public Task NextAsync() => Page.ClickAsync(".mud-stepper-button-next");

    public ILocator Field(string id) => Page.Locator($"#{id}");

    public Task FillAsync(string id, string value) => Page.FillAsync($"#{id}", value);

    /// <summary>Runs the job from the Review step and waits for its page.</summary>
    public async Task<JobPage> RunAsync()
    {
        await Page.ClickAsync("#run-job");
        var job = new JobPage(Browser);
        try
        {
            await job.ExpectOpenAsync();
        }
        catch (PlaywrightException)
        {
            // Say why the wizard stayed, if it says so.
            var problems = await Page.Locator("#wizard-error, #step-problems").AllInnerTextsAsync();
            throw new Xunit.Sdk.XunitException($"Still on {Page.Url}; the page says: {string.Join(" | ", problems)}");
        }
        return job;
    }
}
