using Fleet.Domain.Security;
using Fleet.Web.Security;

namespace Fleet.Web.Components.Dialogs;

/// <summary>Creates an API token; closes with the <see cref="CreatedToken"/>, whose secret the caller shows once.</summary>
public sealed partial class CreateTokenDialog
{
    private string _name = "";
    private string _role = Roles.Viewer;

    private Task SubmitAsync() => SaveAsync(async () => await Accounts.CreateTokenAsync(_name.Trim(), _role));
}
