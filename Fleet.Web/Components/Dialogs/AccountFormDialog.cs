using Fleet.Domain;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>
/// What the account dialogs share: validate the form, make the change through the account service, close
/// with its result, or stay open with the service's message (its rules, e.g. a taken username, have the last word).
/// </summary>
public abstract class AccountFormDialog : ComponentBase
{
    protected MudForm? Form { get; set; }
    protected string? Error { get; private set; }
    protected bool Saving { get; private set; }

    [CascadingParameter] protected IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject] protected IAccountAdmin Accounts { get; set; } = default!;

    protected void Cancel() => MudDialog.Cancel();

    protected async Task SaveAsync(Func<Task<object>> change)
    {
        if (Form is null) return;
        await Form.ValidateAsync();
        if (!Form.IsValid) return;

        Saving = true;
        Error = null;
        try
        {
            MudDialog.Close(DialogResult.Ok(await change()));
        }
        catch (Exception ex) when (ex is ArgumentException or DomainException)
        {
            Error = ex.Message;
        }
        finally
        {
            Saving = false;
        }
    }
}
