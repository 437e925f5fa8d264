using Fleet.Domain;
using Fleet.Domain.Inventory;
using Fleet.Domain.Security;
using Fleet.Web.Components.Dialogs;
using Fleet.Web.Components.Controls;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Orchestration;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Fleet.Web.Audit;

namespace Fleet.Web.Components.Pages;

public sealed partial class HostDetails
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    private HostDetail? _host;
    private HostInventoryView? _inventory;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private bool _loading = true;
    private bool _canOperate;
    private bool _requestingRefresh;
    private bool _deciding;
    private IReadOnlyList<ChildHostView> _children = [];
    private bool _hasContainerEngine;
    private Guid? _activeOrchestrationId;
    private string _user = "";
    // Bumped on every reload so the software table fetches its page again.
    private int _version;
    private string? _userSearch;
    private AccountKind _userKind = AccountKind.All;
    private string? _groupSearch;
    private AccountKind _groupKind = AccountKind.All;
    /// <summary>How often the uptime shown moves on between reports.</summary>
    private static readonly TimeSpan UptimeTick = TimeSpan.FromSeconds(30);

    [Inject] private IFleetReader Reader { get; set; } = default!;

    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private IHostOperations Operations { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IRebootOrchestrations Orchestrations { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Parameter] public Guid HostId { get; set; }

    protected override void OnInitialized()
    {
        FollowLiveEvents($"host {HostId}'s page", e => e.HostId == HostId, RefreshInterval, LoadAsync);
        _ = TickUptimeAsync();
    }

    /// <summary>While the host is online its uptime grows between reports: counted live from the boot time, not frozen at the last report.</summary>
    private string UptimeText => _host switch
    {
        null => "",
        { Status: "online", BootedAt: { } booted } => Formatting.Uptime((long)Math.Max(0, (Clock.GetUtcNow() - booted).TotalSeconds)),
        _ => $"{Formatting.Uptime(_host.UptimeSeconds)} at the last report",
    };

    private async Task TickUptimeAsync()
    {
        using var timer = new PeriodicTimer(UptimeTick, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(PageClosed)) await InvokeAsync(StateHasChanged);
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
    }

    private bool ShowsUser(UserAccount user) =>
        _userKind.Admits(user.IsPerson()) &&
        (string.IsNullOrWhiteSpace(_userSearch) || Matches(_userSearch, user.Username, user.HomeDirectory, user.Shell, user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private bool ShowsGroup(UserGroup group) =>
        _groupKind.Admits(group.IsPerson()) &&
        (string.IsNullOrWhiteSpace(_groupSearch) || Matches(_groupSearch, [group.Name, group.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture), .. group.Members]));

    private static bool Matches(string search, params string[] fields) =>
        fields.Any(f => f.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
        {
            var state = await AuthenticationState;
            _canOperate = state.User.IsInRole(Roles.Operator);
            _user = state.User.Identity?.Name ?? "";
        }
        _loading = true;
        await LoadAsync();
        _loading = false;
    }

    private async Task LoadAsync()
    {
        try
        {
            _host = await Reader.GetHostAsync(HostId, PageClosed);
            _inventory = _host is null ? null : await Reader.GetInventoryAsync(HostId, PageClosed);
            if (_host is not null)
            {
                var check = await Orchestrations.PreCheckAsync(HostId, PageClosed);
                (_children, _hasContainerEngine, _activeOrchestrationId) = (check.Children, check.HasContainerEngine, check.ActiveOrchestrationId);
            }
        }
        catch (HostNotFoundException)
        {
            _host = null;
            _inventory = null;
        }
        _version++;
        _breadcrumbs =
        [
            new("Fleet status", href: "/"),
            new(_host?.Hostname ?? "Unknown host", href: null, disabled: true),
        ];
    }

    private async Task RequestRefreshAsync()
    {
        _requestingRefresh = true;
        try
        {
            await Operations.RequestInventoryAsync([HostId], InventorySections.All, PageClosed);
            Snackbar.Add("Refresh requested", Severity.Success);
            await Audit.SucceededAsync("request inventory refresh", $"host {HostId}");
        }
        catch (Exception ex) when (ex is DomainException or HostNotFoundException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await Audit.FailedAsync("request inventory refresh", $"host {HostId}", ex.Message);
        }
        finally
        {
            _requestingRefresh = false;
        }
    }

    private Task RevokeAsync() => DecideAsync(
        $"Revoke {_host?.Hostname}?",
        $"The secret of '{_host?.Hostname}' stops working at once: its agent is refused and disconnected, and running commands report nothing more. " +
        "Only an approved re-enrolment brings the host back.",
        $"Revoke {_host?.Hostname}", Operations.RevokeAsync, "Host revoked", "revoke host");

    private Task ApproveReenrolmentAsync() => DecideAsync(
        "Approve the re-enrolment?",
        $"The agent that asked gets the identity of '{_host?.Hostname}' and all its future commands; the agent holding the secret now is revoked and disconnected. " +
        "Approve only if you know the requester's address and boot id belong to this machine.",
        "Approve", Operations.ApproveReenrolmentAsync, "Re-enrolment approved", "approve re-enrolment");

    private Task RejectReenrolmentAsync() => DecideAsync(null, null, null, Operations.RejectReenrolmentAsync, "Re-enrolment rejected", "reject re-enrolment");

    /// <param name="title">Null: no confirmation (rejecting leaves everything as it was).</param>
    /// <param name="action">What the audit log records.</param>
    private async Task DecideAsync(string? title, string? message, string? yes, Func<Guid, CancellationToken, Task> decide, string done, string action)
    {
        if (title is not null && !await Dialogs.ConfirmAsync(title, message!, yes!)) return;
        _deciding = true;
        try
        {
            await decide(HostId, PageClosed);
            Snackbar.Add(done, Severity.Success);
            await Audit.SucceededAsync(action, $"host {_host?.Hostname ?? HostId.ToString()}");
            await LoadAsync();
        }
        catch (Exception ex) when (ex is DomainException or HostNotFoundException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await Audit.FailedAsync(action, $"host {_host?.Hostname ?? HostId.ToString()}", ex.Message);
        }
        finally
        {
            _deciding = false;
        }
    }

    private async Task OpenRebootDialogAsync()
    {
        var parameters = new DialogParameters<RebootDialog> { { d => d.HostId, HostId }, { d => d.User, _user } };
        var dialog = await Dialogs.ShowAsync<RebootDialog>($"Reboot {_host?.Hostname}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: RebootDialogResult chosen }) return;
        if (chosen.OrchestrationId is { } orchestrationId)
            Navigation.NavigateTo($"/hosts/{HostId}/reboot/{orchestrationId}");
        else
            Snackbar.Add("Reboot requested", Severity.Success);
    }

    private static Color UsageColor(int percent) => percent switch
    {
        >= 90 => Color.Error,
        >= 75 => Color.Warning,
        _ => Color.Success,
    };

    private static string Or(string? value) => string.IsNullOrWhiteSpace(value) ? "—" : value;
}
