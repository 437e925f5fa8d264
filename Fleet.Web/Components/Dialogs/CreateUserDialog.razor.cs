using Fleet.Domain.Security;
using Fleet.Web.Security;

namespace Fleet.Web.Components.Dialogs;

/// <summary>Creates a dashboard user; closes with the created <see cref="UserView"/>.</summary>
public sealed partial class CreateUserDialog
{
    private string _username = "";
    private string _password = "";
    private string _role = Roles.Viewer;

    private Task SubmitAsync() => SaveAsync(async () => await Accounts.CreateUserAsync(_username.Trim(), _password, _role));
}
