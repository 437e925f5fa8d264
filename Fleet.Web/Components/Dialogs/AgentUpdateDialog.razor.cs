using Fleet.Domain;
using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Execution;
using Fleet.Domain.Search;
using Fleet.Web.Audit;
using Fleet.Web.Components.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.AgentMaintenance;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

public enum UpdateHostChoice
{
    OutOfDate,
    Query,
}

/// <summary>
/// Updates agents: which hosts (those not on the default version, preselected, or a host search), to which version
/// (the default, the newest, or a stored one), in which waves and with which failure threshold; the operator confirms
/// with the number of hosts. Closes with the per-host results of the batch.
/// </summary>
public sealed partial class AgentUpdateDialog
{
    public const string BasicVersion = "BASIC_VERSION";
    public const string AdvanceVersion = "ADVANCE_VERSION";

    private UpdateHostChoice _choice = UpdateHostChoice.OutOfDate;
    private string _query = "";
    private TargetPreview? _preview;
    private string? _queryError;
    private string _target = BasicVersion;
    private string? _waves;
    private string? _threshold;
    private string? _error;
    private bool _busy;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject] private IInvocationService Invocations { get; set; } = default!;
    [Inject] private IAgentMaintenance Maintenance { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;

    /// <summary>Stored packages, newest first.</summary>
    [Parameter] public IReadOnlyList<AgentPackage> Packages { get; set; } = [];

    [Parameter] public string? DefaultVersion { get; set; }

    [Parameter] public MaintenanceCaller Caller { get; set; } = new("", "");

    private string? WavesError => ErrorOf(_waves, text => WavePlan.Parse(text));

    private string? ThresholdError => ErrorOf(_threshold, text => FailureThreshold.Parse(text));

    private bool CanSubmit => !_busy && _preview is { Count: > 0 and <= AgentInvocationRequest.MaxItems } && _queryError is null
        && WavesError is null && ThresholdError is null;

    protected override Task OnInitializedAsync() => PreviewAsync();

    /// <summary>The search that picks the hosts: the out-of-date ones are every approved host not on the default version.</summary>
    public static string? HostQuery(UpdateHostChoice choice, string query, string? defaultVersion) => choice switch
    {
        UpdateHostChoice.OutOfDate => defaultVersion is null ? null : $"not {Agents.AgentVersionQuery(defaultVersion)}",
        _ => string.IsNullOrWhiteSpace(query) ? null : query.Trim(),
    };

    public static string HostCountText(int count) => count switch
    {
        0 => "No host matches.",
        > AgentInvocationRequest.MaxItems => $"{count} hosts match; one update reaches at most {AgentInvocationRequest.MaxItems}. Narrow the search.",
        1 => "1 host",
        _ => $"{count} hosts",
    };

    private static string? ErrorOf(string? text, Action<string> parse)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            parse(text.Trim());
            return null;
        }
        catch (DomainException ex)
        {
            return ex.Message;
        }
    }

    private Task OnChoiceChangedAsync(UpdateHostChoice choice)
    {
        _choice = choice;
        return PreviewAsync();
    }

    private Task OnQueryChangedAsync(string? query)
    {
        _query = query ?? "";
        return PreviewAsync();
    }

    private async Task PreviewAsync()
    {
        _queryError = null;
        var query = HostQuery(_choice, _query, DefaultVersion);
        if (query is null)
        {
            _preview = null;
            if (_choice == UpdateHostChoice.OutOfDate) _queryError = "There is no default package, so no host is out of date.";
            return;
        }
        try
        {
            _preview = await Invocations.PreviewTargetsAsync(query, null, AgentInvocationRequest.MaxItems);
        }
        catch (Exception ex) when (ex is SearchSyntaxException or HostSearchException)
        {
            _preview = null;
            _queryError = ex.Message;
        }
    }

    private void Cancel() => MudDialog.Cancel();

    private async Task SubmitAsync()
    {
        if (!CanSubmit || _preview is not { } preview) return;
        var versionText = _target switch
        {
            BasicVersion => $"the default version {DefaultVersion}",
            AdvanceVersion => $"the newest version {Packages.FirstOrDefault()?.Version}",
            _ => _target,
        };
        if (!await Dialogs.ConfirmAsync($"Update the agent on {HostCountText(preview.Count)}?",
                $"The agent on {HostCountText(preview.Count)} restarts with {versionText}; commands running there are interrupted.",
                $"Update {preview.Count}")) return;

        _busy = true;
        _error = null;
        var request = new AgentInvocationRequest(
            Agents.DashboardProject,
            AgentInvocationType.Update,
            preview.Sample.Select(h => h.Id.ToString("D")).ToList(),
            [],
            _target is BasicVersion or AdvanceVersion ? _target : null,
            null,
            _target is BasicVersion or AdvanceVersion ? null : _target,
            [],
            string.IsNullOrWhiteSpace(_waves) ? null : _waves.Trim(),
            string.IsNullOrWhiteSpace(_threshold) ? null : _threshold.Trim());
        try
        {
            var results = await Maintenance.BatchCreateAsync(request, Caller);
            await Audit.SucceededAsync("update agents", $"{preview.Count} hosts to {versionText}");
            MudDialog.Close(DialogResult.Ok(results));
        }
        catch (Exception ex) when (ex is DomainException or UnauthorizedAccessException)
        {
            _error = ex.Message;
            await Audit.FailedAsync("update agents", $"{preview.Count} hosts to {versionText}", ex.Message);
        }
        finally
        {
            _busy = false;
        }
    }
}
