using Bunit;
using Bunit.TestDoubles;
using Fleet.Domain.Security;
using Fleet.Tests.Components.Fakes;
using Fleet.Web.Engine;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Fleet.Tests.Components;

/// <summary>
/// A bunit context with MudBlazor, a signed-in user and in-memory fakes of the services the pages use.
/// The user is an admin unless a test calls <see cref="SignInAs"/>.
/// </summary>
public abstract class FleetPageTestContext : BunitContext, IAsyncLifetime
{
    static FleetPageTestContext()
    {
        // Debounced fields (300–400 ms) leave little of bunit's 1 s default on a busy shared machine.
        DefaultWaitTimeout = TimeSpan.FromSeconds(5);
    }

    protected FleetPageTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IFleetReader>(Reader);
        Services.AddSingleton<Fleet.Web.Engine.Overview.IOverviewReader>(OverviewReader);
        Services.AddSingleton<IHostOperations>(Operations);
        Services.AddSingleton<IFleetEvents>(Events);
        Services.AddSingleton<IAccountAdmin>(Accounts);
        Services.AddSingleton<IEnrollmentTokenAdmin>(EnrollmentTokens);
        Services.AddSingleton<IInvocationService>(Invocations);
        Services.AddSingleton<IJobTemplates>(Templates);
        Services.AddSingleton<IRolloutService>(Rollouts);
        Services.AddSingleton<Fleet.Web.Engine.Orchestration.IRebootOrchestrations>(Orchestrations);
        Services.AddSingleton<Fleet.Web.Engine.Orchestration.IPowerService>(Power);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<Fleet.Web.Audit.IDashboardAudit>(Audit);
        Services.AddSingleton<Fleet.Web.Audit.IAuditLog>(AuditLog);
        Services.AddSingleton<Fleet.Web.Engine.Operations.IHeadlessOperations>(HeadlessOperations);
        Services.AddSingleton<Fleet.Web.Engine.Operations.Notifications.IWebhookSecretAdmin>(WebhookSecrets);
        Services.AddSingleton<Fleet.Web.Engine.AgentPackages.IAgentPackages>(AgentPackages);
        Services.AddSingleton<Fleet.Web.Engine.AgentMaintenance.IAgentMaintenance>(AgentMaintenance);
        Authorization = AddAuthorization();
        SignInAs(Roles.Admin);
        // Pages only listen to live events in an interactive circuit.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected FakeFleetReader Reader { get; } = new();
    protected FakeOverviewReader OverviewReader { get; } = new();
    protected FakeHostOperations Operations { get; } = new();
    protected FakeFleetEvents Events { get; } = new();
    protected FakeAccountAdmin Accounts { get; } = new();
    protected FakeEnrollmentTokens EnrollmentTokens { get; } = new();
    protected FakeInvocationService Invocations { get; } = new();
    protected FakeJobTemplates Templates { get; } = new();
    protected FakeRolloutService Rollouts { get; } = new();
    protected FakeRebootOrchestrations Orchestrations { get; } = new();
    protected FakePowerService Power { get; } = new();
    protected FakeDashboardAudit Audit { get; } = new();
    protected FakeAuditLog AuditLog { get; } = new();
    protected FakeHeadlessOperations HeadlessOperations { get; } = new();
    protected FakeWebhookSecret WebhookSecrets { get; } = new();
    protected FakeAgentPackages AgentPackages { get; } = new();
    protected FakeAgentMaintenance AgentMaintenance { get; } = new();
    protected BunitAuthorizationContext Authorization { get; }

    protected ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    /// <summary>Signs in with the claims the cookie handler issues: the role and every role it implies.</summary>
    protected void SignInAs(string role) =>
        Authorization.SetAuthorized($"{role}-user").SetRoles([.. Roles.Implied(role)]);

    /// <summary>Renders what MainLayout provides; the returned dialog provider holds open dialogs' markup.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }

    /// <summary>
    /// Checks the open <see cref="Fleet.Web.Components.Dialogs.ConfirmDialog"/> names every one of <paramref name="touched"/>
    /// and shows its destructive button in the error colour, then presses Cancel and waits for the dialog to close.
    /// </summary>
    protected static void NamesWhatItTouches_ThenCancel(IRenderedComponent<MudDialogProvider> dialogs, params string[] touched)
    {
        dialogs.WaitForElement("#confirm-message");
        var text = dialogs.Find(".mud-dialog").TextContent;
        foreach (var name in touched) Assert.Contains(name, text);
        Assert.Contains("mud-button-filled-error", dialogs.Find("#confirm-yes").ClassName);
        dialogs.Find("#confirm-cancel").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
    }

    protected IEnumerable<string?> SnackbarMessages => Snackbar.ShownSnackbars.Select(s => s.Message);

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that are only asynchronously disposable; xunit v2 would call
    // the synchronous Dispose, which the container refuses for them.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
