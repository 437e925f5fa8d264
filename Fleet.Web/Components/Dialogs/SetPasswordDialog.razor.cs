using Fleet.Domain;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>An admin sets a user's password; closes with no data when it was set. The password never leaves this dialog and the account service.</summary>
public sealed partial class SetPasswordDialog
{
    private MudForm? _form;
    private string _password = "";
    private string? _error;
    private bool _saving;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    [Parameter] public Guid UserId { get; set; }
    [Parameter] public string Username { get; set; } = "";

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
            await Accounts.SetPasswordAsync(UserId, _password);
            MudDialog.Close(DialogResult.Ok(true));
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
