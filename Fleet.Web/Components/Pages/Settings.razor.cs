using Fleet.Domain;
using Fleet.Web.Audit;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Engine;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

public sealed partial class Settings
{
    private static readonly DialogOptions FormDialog = new() { MaxWidth = MaxWidth.Small, FullWidth = true };

    // The secret is shown once: the dialog must not vanish on a stray click or Escape.
    private static readonly DialogOptions SecretDialog = new()
    {
        MaxWidth = MaxWidth.Small,
        FullWidth = true,
        BackdropClick = false,
        CloseOnEscapeKey = false,
    };

    private IReadOnlyList<UserView> _users = [];
    private IReadOnlyList<ApiTokenView> _tokens = [];
    private EnrollmentTokenInfo? _enrollment;

    [Inject] private IAccountAdmin Accounts { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private IEnrollmentTokenAdmin EnrollmentTokens { get; set; } = default!;
    [Inject] private Engine.Operations.Notifications.IWebhookSecretAdmin WebhookSecrets { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _users = await Accounts.ListUsersAsync();
        _tokens = await Accounts.ListTokensAsync();
        _enrollment = await EnrollmentTokens.DescribeAsync();
    }

    private async Task RotateWebhookSecretAsync()
    {
        if (!await Dialogs.ConfirmAsync("Rotate the webhook signing secret?",
                "The webhook signing secret is replaced at once: receivers verifying the old one refuse webhooks until they have the new one.",
                "Rotate webhook secret")) return;

        var secret = await WebhookSecrets.RotateAsync();
        await Audit.SucceededAsync("rotate webhook secret", "webhook signing secret");
        var parameters = new DialogParameters<TokenSecretDialog>
        {
            { d => d.Secret, secret },
            { d => d.TokenName, "the webhook signing secret" },
            { d => d.Warning, "Copy this secret now. It will not be shown again: rotate it again to get a new one." },
        };
        var secretDialog = await Dialogs.ShowAsync<TokenSecretDialog>("Webhook secret rotated", parameters, SecretDialog);
        await secretDialog.Result;
    }

    private async Task RotateEnrollmentTokenAsync()
    {
        if (!await Dialogs.ConfirmAsync("Rotate the fleet enrolment token?",
                "A new fleet enrolment token replaces the current one at once: agents not yet enrolled need the new one. Enrolled agents are not affected.",
                "Rotate enrolment token")) return;

        var by = AuthenticationState is null ? "" : (await AuthenticationState).User.Identity?.Name ?? "";
        var token = await EnrollmentTokens.RotateAsync(by);
        await Audit.SucceededAsync("rotate enrolment token", "fleet enrolment token");
        _enrollment = await EnrollmentTokens.DescribeAsync();
        StateHasChanged();
        var parameters = new DialogParameters<TokenSecretDialog>
        {
            { d => d.Secret, token },
            { d => d.TokenName, "the fleet enrolment token" },
        };
        var secretDialog = await Dialogs.ShowAsync<TokenSecretDialog>("Enrolment token rotated", parameters, SecretDialog);
        await secretDialog.Result;
    }

    private async Task CreateUserAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("Create user", FormDialog);
        if (await dialog.Result is { Canceled: false, Data: UserView user })
        {
            Snackbar.Add($"User {user.Username} created", Severity.Success);
            await Audit.SucceededAsync("create user", $"user {user.Username} ({user.Role})");
            _users = await Accounts.ListUsersAsync();
        }
    }

    private async Task ChangeRoleAsync(UserView user, string? role)
    {
        if (role is null || role == user.Role) return;
        if (await TryAsync("change role", $"user {user.Username} → {role}", () => Accounts.SetRoleAsync(user.Id, role)))
        {
            Snackbar.Add($"{user.Username} is now {role}", Severity.Success);
        }
        _users = await Accounts.ListUsersAsync();
    }

    private async Task DeleteUserAsync(UserView user)
    {
        if (!await Dialogs.ConfirmAsync($"Delete {user.Username}?",
                $"The user {user.Username} is deleted and can no longer sign in.", $"Delete {user.Username}")) return;

        if (await TryAsync("delete user", $"user {user.Username}", () => Accounts.DeleteUserAsync(user.Id)))
        {
            Snackbar.Add($"User {user.Username} deleted", Severity.Success);
        }
        _users = await Accounts.ListUsersAsync();
    }

    private async Task CreateTokenAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateTokenDialog>("Create API token", FormDialog);
        if (await dialog.Result is not { Canceled: false, Data: CreatedToken created }) return;

        _tokens = await Accounts.ListTokensAsync();
        StateHasChanged();
        await Audit.SucceededAsync("create token", $"token {created.Token.Name} ({created.Token.Role})");

        var parameters = new DialogParameters<TokenSecretDialog>
        {
            { d => d.Secret, created.Secret },
            { d => d.TokenName, created.Token.Name },
        };
        var secretDialog = await Dialogs.ShowAsync<TokenSecretDialog>("API token created", parameters, SecretDialog);
        await secretDialog.Result;
    }

    private async Task RevokeTokenAsync(ApiTokenView token)
    {
        if (!await Dialogs.ConfirmAsync($"Revoke {token.Name}?",
                $"The API token {token.Name} stops working at once: anything using it is refused from now on.", $"Revoke {token.Name}")) return;

        if (await TryAsync("revoke token", $"token {token.Name}", () => Accounts.RevokeTokenAsync(token.Id)))
        {
            Snackbar.Add($"Token {token.Name} revoked", Severity.Success);
        }
        _tokens = await Accounts.ListTokensAsync();
    }

    private async Task SetDisabledAsync(UserView user, bool disabled)
    {
        // Disabling signs the user out at once; enabling interrupts nothing.
        if (disabled && !await Dialogs.ConfirmAsync($"Disable {user.Username}?",
                $"The user {user.Username} is signed out at once and cannot sign in until enabled again.", $"Disable {user.Username}")) return;
        if (await TryAsync(disabled ? "disable user" : "enable user", $"user {user.Username}", () => Accounts.SetDisabledAsync(user.Id, disabled)))
        {
            Snackbar.Add(disabled ? $"{user.Username} is disabled and signed out" : $"{user.Username} can sign in again", Severity.Success);
        }
        _users = await Accounts.ListUsersAsync();
    }

    private async Task SetPasswordAsync(UserView user)
    {
        var parameters = new DialogParameters<SetPasswordDialog>
        {
            { d => d.UserId, user.Id },
            { d => d.Username, user.Username },
        };
        var dialog = await Dialogs.ShowAsync<SetPasswordDialog>("Set password", parameters, FormDialog);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"Password of {user.Username} set; their sessions are ended", Severity.Success);
            await Audit.SucceededAsync("set password", $"user {user.Username}");
        }
    }

    private async Task UnlockUserAsync(UserView user)
    {
        if (await TryAsync("unlock user", $"user {user.Username}", () => Accounts.UnlockAsync(user.Id)))
        {
            Snackbar.Add($"{user.Username} is unlocked", Severity.Success);
        }
        _users = await Accounts.ListUsersAsync();
    }

    /// <summary>Runs an account change and records it, with its outcome, in the audit log.</summary>
    private async Task<bool> TryAsync(string action, string target, Func<Task> change)
    {
        try
        {
            await change();
            await Audit.SucceededAsync(action, target);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or DomainException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await Audit.FailedAsync(action, target, ex.Message);
            return false;
        }
    }
}
