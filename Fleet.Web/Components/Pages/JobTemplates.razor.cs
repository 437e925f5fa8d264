using Fleet.Domain;
using Fleet.Web.Audit;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

/// <summary>Lists job templates; admins also clone and delete them here (the editor page creates and edits).</summary>
public sealed partial class JobTemplates
{
    private IReadOnlyList<JobTemplateView>? _templates;
    private string? _error;

    [Inject] private IJobTemplates Templates { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _templates = await Templates.ListAsync();

    private async Task CloneAsync(JobTemplateView template)
    {
        var parameters = new DialogParameters<CloneTemplateDialog> { { d => d.TemplateId, template.Id }, { d => d.Original, template.Name } };
        var dialog = await Dialogs.ShowAsync<CloneTemplateDialog>($"Clone {template.Name}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: JobTemplateView copy }) return;

        await Audit.SucceededAsync("clone job template", $"{template.Name} → {copy.Name}");
        Snackbar.Add($"Template {copy.Name} created from {template.Name}.", Severity.Success);
        _templates = await Templates.ListAsync();
    }

    private async Task DeleteAsync(JobTemplateView template)
    {
        if (!await Dialogs.ConfirmAsync($"Delete {template.Name}?",
                $"Template {template.Name} is deleted for good. Jobs already run keep their output and the script they ran.",
                "Delete template")) return;

        _error = null;
        try
        {
            await Templates.DeleteAsync(template.Id);
            await Audit.SucceededAsync("delete job template", template.Name);
            Snackbar.Add($"Template {template.Name} deleted.", Severity.Success);
        }
        catch (DomainException ex)
        {
            await Audit.FailedAsync("delete job template", template.Name, ex.Message);
            _error = ex.Message;
        }
        catch (JobTemplateNotFoundException)
        {
            // Someone else deleted it first: the reload below shows that.
        }
        _templates = await Templates.ListAsync();
    }
}
