using Fleet.Domain.Security;
using Fleet.Web.Audit;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Fleet.Web.Components.Pages;

/// <summary>Any signed-in user changes their own password; an admin also sets another user's (as under Settings → Users).</summary>
public sealed partial class ChangePassword
{
    private string? _current;
    private string? _new;
    private string? _confirm;
    private string? _error;
    private bool _busy;
    private IReadOnlyList<UserView> _otherUsers = [];
    private Guid? _resetUserId;
    private string? _resetPassword;
    private string? _resetConfirm;
    private string? _resetError;

    [Inject] private IAccountAdmin Accounts { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private MudBlazor.ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is null) return;
        var user = (await AuthenticationState).User;
        if (!user.IsInRole(Roles.Admin)) return;
        var me = user.Identity?.Name;
        _otherUsers = (await Accounts.ListUsersAsync()).Where(u => u.Username != me).OrderBy(u => u.Username, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private bool ResetMismatch => _resetConfirm is { Length: > 0 } && _resetConfirm != _resetPassword;

    private bool CanReset => !_busy && _resetUserId is not null && AccountRules.PasswordError(_resetPassword) is null && _resetConfirm == _resetPassword;

    private async Task ResetAsync()
    {
        if (!CanReset) return;
        var target = _otherUsers.First(u => u.Id == _resetUserId);
        _busy = true;
        _resetError = null;
        try
        {
            await Accounts.SetPasswordAsync(target.Id, _resetPassword!);
            await Audit.SucceededAsync("set password", $"user {target.Username}");
            Snackbar.Add($"{target.Username}'s password was set; their sessions have ended.", MudBlazor.Severity.Success);
            _resetPassword = _resetConfirm = null;
            _resetUserId = null;
        }
        catch (ArgumentException error)
        {
            _resetError = error.Message;
            await Audit.FailedAsync("set password", $"user {target.Username}", error.Message);
        }
        finally
        {
            _busy = false;
        }
    }

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
