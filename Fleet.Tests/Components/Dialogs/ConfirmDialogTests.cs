using Bunit;
using Fleet.Web.Components.Dialogs;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Fleet.Tests.Components.Dialogs;

public sealed class ConfirmDialogTests : FleetPageTestContext
{
    private async Task<(IRenderedComponent<MudDialogProvider> Provider, Task<bool> Confirmed)> OpenAsync(IReadOnlyList<string>? touches = null)
    {
        var provider = RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        Task<bool>? confirmed = null;
        // Not awaited inside the dispatcher: the answer comes only once a button is pressed.
        await provider.InvokeAsync(() => { confirmed = dialogs.ConfirmAsync("Delete web-1?", "Host web-1 is deleted.", "Delete web-1", touches); });
        provider.WaitForElement("#confirm-message");
        return (provider, confirmed!);
    }

    [Fact]
    public async Task Cancel_AnswersFalse()
    {
        var (provider, confirmed) = await OpenAsync();

        provider.Find("#confirm-cancel").Click();

        Assert.False(await confirmed);
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll(".mud-dialog")));
    }

    [Fact]
    public async Task TheDestructiveButton_AnswersTrue()
    {
        var (provider, confirmed) = await OpenAsync();

        provider.Find("#confirm-yes").Click();

        Assert.True(await confirmed);
    }

    [Fact]
    public async Task Shows_TitleMessage_DestructiveButtonInTheErrorColour_AfterCancel()
    {
        var (provider, _) = await OpenAsync();

        Assert.Contains("Delete web-1?", provider.Find(".mud-dialog-title").TextContent);
        Assert.Equal("Host web-1 is deleted.", provider.Find("#confirm-message").TextContent);
        Assert.Contains("mud-button-filled-error", provider.Find("#confirm-yes").ClassName);
        Assert.DoesNotContain("mud-button-filled-error", provider.Find("#confirm-cancel").ClassName);
        // Cancel comes first and there is no close icon before it, so Cancel takes the dialog's first focus.
        Assert.Equal(["confirm-cancel", "confirm-yes"], provider.FindAll(".mud-dialog button").Select(b => b.Id));
    }

    [Fact]
    public async Task ManyTouchedNames_ListsTen_AndCountsTheRest()
    {
        var names = Enumerable.Range(1, 13).Select(i => $"web-{i:00}").ToList();

        var (provider, _) = await OpenAsync(names);

        Assert.Equal(names.Take(10), provider.FindAll("[data-touches]").Select(li => li.TextContent));
        Assert.Equal("and 3 more", provider.Find("#confirm-touches-more").TextContent);
    }
}
