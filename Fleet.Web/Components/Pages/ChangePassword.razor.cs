using Fleet.Web.Audit;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Fleet.Web.Components.Pages;

/// <summary>Any signed-in user changes their own password; admins set other users' passwords under Settings.</summary>
public sealed partial class ChangePassword
{
    private string? _current;
    private string? _new;
    private string? _confirm;
    private string? _error;
    private bool _busy;

    [Inject] private IAccountAdmin Accounts { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private bool Mismatch => _confirm is { Length: > 0 } && _confirm != _new;

    private bool CanSubmit => !_busy && !string.IsNullOrEmpty(_current) && AccountRules.PasswordError(_new) is null && _confirm == _new;

    private async Task ChangeAsync()
    {
        if (!CanSubmit || AuthenticationState is null) return;
        var username = (await AuthenticationState).User.Identity?.Name ?? "";
        _busy = true;
        _error = null;
        try
        {
            await Accounts.ChangeOwnPasswordAsync(username, _current!, _new!);
            await Audit.SucceededAsync("change own password", $"user {username}");
            // The session just ended with the old password: a full page load reaches the sign-in form.
            Navigation.NavigateTo("/login?changed=1", forceLoad: true);
        }
        catch (ArgumentException error)
        {
            _error = error.Message;
            await Audit.FailedAsync("change own password", $"user {username}", error.Message);
        }
        finally
        {
            _busy = false;
        }
    }
}
