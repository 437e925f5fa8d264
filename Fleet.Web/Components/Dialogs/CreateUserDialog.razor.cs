using Fleet.Domain;
using Fleet.Domain.Security;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>Creates a dashboard user; closes with the created <see cref="UserView"/>.</summary>
public sealed partial class CreateUserDialog
{
    private MudForm? _form;
    private string _username = "";
    private string _password = "";
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
            var user = await Accounts.CreateUserAsync(_username.Trim(), _password, _role);
            MudDialog.Close(DialogResult.Ok(user));
        }
        // The server's rules (e.g. a taken username) have the last word; keep the dialog open.
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
