using Fleet.Domain;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>Asks for the copy's name and clones the template; closes with the new <see cref="JobTemplateView"/>.</summary>
public sealed partial class CloneTemplateDialog
{
    private MudForm? _form;
    private string _name = "";
    private string? _error;
    private bool _saving;

    [Parameter] public long TemplateId { get; set; }
    [Parameter] public string Original { get; set; } = "";

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;
    [Inject] private IJobTemplates Templates { get; set; } = default!;

    protected override void OnParametersSet()
    {
        if (_name.Length == 0) _name = $"{Original} (copy)";
    }

    private async Task SubmitAsync()
    {
        if (_form is null) return;
        await _form.ValidateAsync();
        if (!_form.IsValid) return;

        _saving = true;
        _error = null;
        try
        {
            MudDialog.Close(DialogResult.Ok(await Templates.CloneAsync(TemplateId, _name.Trim())));
        }
        catch (Exception ex) when (ex is DomainException or JobTemplateNotFoundException)
        {
            _error = ex.Message;
        }
        finally
        {
            _saving = false;
        }
    }
}
