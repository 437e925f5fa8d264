using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>Shows a new API token's secret, the only time anyone will see it.</summary>
public sealed partial class TokenSecretDialog
{
    private bool _copied;
    private string? _copyError;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    [Parameter, EditorRequired] public string Secret { get; set; } = "";

    [Parameter, EditorRequired] public string TokenName { get; set; } = "";

    /// <summary>Why the secret must be copied now; a token's default, as Fleet keeps only its hash.</summary>
    [Parameter] public string Warning { get; set; } = "Copy this token now. It will not be shown again: Fleet keeps only a hash of it.";

    private async Task CopyAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", Secret);
            _copied = true;
        }
        // Browsers allow the clipboard API only on secure origins (https or localhost).
        catch (JSException)
        {
            _copyError = "The browser refused to copy; select the token and copy it by hand.";
        }
    }

    private void Done() => MudDialog.Close();
}
