using Fleet.Domain;
using Fleet.Domain.Security;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>Creates an API token; closes with the <see cref="CreatedToken"/>, whose secret the caller shows once.</summary>
public sealed partial class CreateTokenDialog
{
    private MudForm? _form;
    private string _name = "";
    private string _role = Roles.Viewer;
    private string? _error;
    private bool _saving;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject] private IAccountAdmin Accounts { get; set; } = default!;

    private void Cancel() => MudDialog.Cancel();

    private async Task SubmitAsync()
    {
        if (_form is null) return;
        await _form.ValidateAsync();
        if (!_form.IsValid) return;

        _saving = true;
        _error = null;
        try
        {
            var created = await Accounts.CreateTokenAsync(_name.Trim(), _role);
            MudDialog.Close(DialogResult.Ok(created));
        }
        catch (Exception ex) when (ex is ArgumentException or DomainException)
        {
            _error = ex.Message;
        }
        finally
        {
            _saving = false;
        }
    }
}
