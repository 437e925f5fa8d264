using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>
/// The one confirmation every destructive action asks: a message that names what is touched, the
/// destructive button in the error colour, and Cancel focused so that Enter or Escape changes nothing.
/// </summary>
public sealed partial class ConfirmDialog
{
    /// <summary>Names listed one per line before the rest are counted ("and 7 more").</summary>
    public const int ListedAtMost = 10;

    [Parameter, EditorRequired] public string Message { get; set; } = "";
    [Parameter, EditorRequired] public string ConfirmText { get; set; } = "";
    [Parameter] public string CancelText { get; set; } = "Cancel";

    /// <summary>What the action touches, one entry each (host names, for example); may be empty when the message names it.</summary>
    [Parameter] public IReadOnlyList<string> Touches { get; set; } = [];

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    private void Cancel() => MudDialog.Cancel();

    private void Confirm() => MudDialog.Close(DialogResult.Ok(true));
}

public static class ConfirmDialogExtensions
{
    // No close icon in the title: Cancel is then the first control and takes the focus.
    private static readonly DialogOptions Options = new()
    {
        MaxWidth = MaxWidth.Small,
        FullWidth = true,
        CloseButton = false,
        CloseOnEscapeKey = true,
        DefaultFocus = DefaultFocus.FirstChild,
    };

    /// <summary>Shows <see cref="ConfirmDialog"/>; true only when the destructive button was pressed.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirmText,
        IReadOnlyList<string>? touches = null, string cancelText = "Cancel")
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.CancelText, cancelText },
            { d => d.Touches, touches ?? [] },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, Options);
        return await dialog.Result is { Canceled: false };
    }
}
