using Fleet.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Fleet.Web.Audit;

/// <summary>Dashboard actions call this after they act: the signed-in user and the circuit's client address are added here.</summary>
public interface IDashboardAudit
{
    Task RecordAsync(string action, string target, string outcome);
}

public static class DashboardAuditExtensions
{
    public static Task SucceededAsync(this IDashboardAudit audit, string action, string target) =>
        audit.RecordAsync(action, target, AuditOutcomes.Success);

    public static Task FailedAsync(this IDashboardAudit audit, string action, string target, string message) =>
        audit.RecordAsync(action, target, AuditOutcomes.Error(message));
}

public sealed class DashboardAudit(AuthenticationStateProvider authentication, IAuditLog log, DashboardClient client) : IDashboardAudit
{
    public async Task RecordAsync(string action, string target, string outcome)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var name = user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "" : AuditActorKinds.Anonymous;
        await log.RecordAsync(new AuditEntry(name, user.Identity?.IsAuthenticated == true ? AuditActorKinds.User : AuditActorKinds.Anonymous,
            AuditSources.Dashboard, action, target, client.Address, outcome));
    }
}

/// <summary>Per circuit: the browser's address, captured when its connection comes up (event handlers later run without an HTTP request).</summary>
public sealed class DashboardClient
{
    public string Address { get; set; } = "unknown";
}

public sealed class DashboardClientCapture(IHttpContextAccessor accessor, DashboardClient client) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } context) client.Address = ClientAddress.Of(context);
        return Task.CompletedTask;
    }
}
