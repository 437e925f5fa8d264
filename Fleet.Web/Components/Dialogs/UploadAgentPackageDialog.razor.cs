using Fleet.Domain;
using Fleet.Web.Audit;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>
/// Stores a new agent package: a version and the agent executable, streamed from the browser to the package store
/// with a progress bar (never held in memory whole). Closes with the stored <see cref="AgentPackage"/>.
/// </summary>
public sealed partial class UploadAgentPackageDialog : IDisposable
{
    /// <summary>A self-contained agent is tens of megabytes; this leaves room without letting one upload fill the disk.</summary>
    public const long MaxPackageBytes = 200L * 1024 * 1024;

    private readonly CancellationTokenSource _closed = new();
    private string _version = "";
    private IBrowserFile? _file;
    private bool _uploading;
    private long _sent;
    private int _shownPercent;
    private string? _error;
    private bool _triedUpload;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject] private IAgentPackages Packages { get; set; } = default!;

    [Inject] private IDashboardAudit Audit { get; set; } = default!;

    /// <summary>The signed-in user, recorded as who added the package.</summary>
    [Parameter] public string User { get; set; } = "";

    private double ProgressPercent => _file is { Size: > 0 } file ? 100.0 * _sent / file.Size : 0;

    /// <summary>Shown once the user has typed something or tried to upload, not on an untouched field.</summary>
    private string? VersionError => (_triedUpload || _version.Length > 0) ? ErrorOfVersion(_version.Trim()) : null;

    public static string? ErrorOfVersion(string version) =>
        version.Length == 0 ? "Enter the package's version."
        : AgentPackageStore.IsValidVersion(version) ? null
        : "A version is 1 to 64 letters, digits, '.', '-' or '_' (e.g. 1.4.0).";

    /// <summary>What is wrong with the chosen file, before a byte is sent.</summary>
    public static string? ErrorOfFile(IBrowserFile? file) =>
        file is null ? "Choose the agent executable to upload."
        : file.Size == 0 ? "The chosen file is empty."
        : file.Size > MaxPackageBytes ? $"The file is {Fleet.Domain.Inventory.Formatting.Bytes(file.Size)}; a package may be at most {Fleet.Domain.Inventory.Formatting.Bytes(MaxPackageBytes)}."
        : null;

    private void OnFileChosen(IBrowserFile? file)
    {
        _file = file;
        _error = _file is null ? null : ErrorOfFile(_file);
    }

    private void Cancel()
    {
        _closed.Cancel();
        MudDialog.Cancel();
    }

    private async Task UploadAsync()
    {
        _triedUpload = true;
        var version = _version.Trim();
        _error = ErrorOfVersion(version) is { } versionError ? versionError : ErrorOfFile(_file);
        if (_error is not null || _file is null) return;

        _uploading = true;
        _sent = 0;
        _shownPercent = 0;
        try
        {
            await using var content = new ProgressStream(_file.OpenReadStream(MaxPackageBytes, _closed.Token), OnProgress);
            var stored = await Packages.AddAsync(version, content, User, _closed.Token);
            await Audit.SucceededAsync("upload agent package", $"agent package {stored.Version} (sha256 {stored.Sha256})");
            MudDialog.Close(DialogResult.Ok(stored));
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
            await Audit.FailedAsync("upload agent package", $"agent package {version}", ex.Message);
        }
        catch (IOException ex)
        {
            // The browser went away or the file changed while it was read.
            _error = $"The upload stopped: {ex.Message}";
            await Audit.FailedAsync("upload agent package", $"agent package {version}", ex.Message);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
        finally
        {
            _uploading = false;
        }
    }

    /// <summary>Re-renders on each whole percent, not on each chunk: a 100 MB file arrives in thousands of reads.</summary>
    private void OnProgress(long sent)
    {
        _sent = sent;
        var percent = (int)ProgressPercent;
        if (percent == _shownPercent) return;
        _shownPercent = percent;
        _ = InvokeAsync(StateHasChanged);
    }

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
    }
}
