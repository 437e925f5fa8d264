using Fleet.Domain;
using Fleet.Web.Audit;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Fleet.Web.Components.Controls;

/// <summary>
/// The agent packages the server keeps: version, hash, size, who added it, which one is the default; admins upload new
/// ones and choose the default (which decides which hosts count as out of date).
/// </summary>
public sealed partial class AgentPackagesPanel
{
    private IReadOnlyList<AgentPackage>? _packages;
    private bool _busy;

    [Inject] private IAgentPackages Packages { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Upload and "Make default": admins only.</summary>
    [Parameter] public bool CanAdminister { get; set; }

    /// <summary>The signed-in user, recorded as who added a package or changed the default.</summary>
    [Parameter] public string User { get; set; } = "";

    /// <summary>Raised after a package was added or the default changed, with the new list.</summary>
    [Parameter] public EventCallback<IReadOnlyList<AgentPackage>> Changed { get; set; }

    /// <summary>Enough of the hash to tell packages apart at a glance; the whole one is in the title and the copy button.</summary>
    public static string ShortHash(string sha256) => sha256.Length <= 12 ? sha256 : $"{sha256[..12]}…";

    protected override async Task OnInitializedAsync() => _packages = await Packages.ListAsync();

    public async Task ReloadAsync()
    {
        _packages = await Packages.ListAsync();
        StateHasChanged();
    }

    private async Task UploadAsync()
    {
        var dialog = await Dialogs.ShowAsync<UploadAgentPackageDialog>("Upload an agent package",
            new DialogParameters<UploadAgentPackageDialog> { { d => d.User, User } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: AgentPackage stored }) return;
        Snackbar.Add($"Agent package {stored.Version} stored{(stored.IsDefault ? " as the default" : "")}", Severity.Success);
        await ReloadAndTellAsync();
    }

    private async Task MakeDefaultAsync(AgentPackage package)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Make default",
            $"Make {package.Version} the default agent package? New installs get it, and hosts on any other version count as out of date.",
            yesText: "Make default", cancelText: "Cancel");
        if (confirmed != true) return;

        _busy = true;
        try
        {
            await Packages.SetDefaultAsync(package.Version, User);
            await Audit.SucceededAsync("set default agent package", $"agent package {package.Version}");
            Snackbar.Add($"{package.Version} is now the default agent package", Severity.Success);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await Audit.FailedAsync("set default agent package", $"agent package {package.Version}", ex.Message);
        }
        finally
        {
            _busy = false;
        }
        await ReloadAndTellAsync();
    }

    private async Task ReloadAndTellAsync()
    {
        _packages = await Packages.ListAsync();
        await Changed.InvokeAsync(_packages);
    }

    private async Task CopyAsync(AgentPackage package)
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", package.Sha256);
            Snackbar.Add($"SHA-256 of {package.Version} copied", Severity.Info);
        }
        // Browsers allow the clipboard API only on secure origins (https or localhost).
        catch (JSException)
        {
            Snackbar.Add("The browser refused to copy; the whole hash is in the tooltip.", Severity.Warning);
        }
    }
}
