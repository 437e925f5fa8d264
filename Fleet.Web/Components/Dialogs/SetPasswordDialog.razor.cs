using Microsoft.AspNetCore.Components;

namespace Fleet.Web.Components.Dialogs;

/// <summary>An admin sets a user's password; closes with no data when it was set. The password never leaves this dialog and the account service.</summary>
public sealed partial class SetPasswordDialog
{
    private string _password = "";

    [Parameter] public Guid UserId { get; set; }
    [Parameter] public string Username { get; set; } = "";

    private Task SubmitAsync() => SaveAsync(async () =>
    {
        await Accounts.SetPasswordAsync(UserId, _password);
        return true;
    });
}
