using Fleet.Domain.Security;

namespace Fleet.Domain.AgentMaintenance;

/// <summary>Seed 003's <c>invocation_type</c>.</summary>
public enum AgentInvocationType
{
    Install = 0,
    Update = 1,
    Rollback = 2,
    Retry = 3,
    SetRemoteInstallHost = 4,
    RemoteInstall = 5,
}

/// <summary>Seed 003's task status, as Fleet reports it (the document names no status; these are Cloud Eye's console words).</summary>
public enum AgentInvocationStatus
{
    Waiting = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Timeout = 4,
    /// <summary>A succeeded UPDATE later undone by a ROLLBACK.</summary>
    Rollbacked = 5,
}

/// <summary>What an agent invocation's <c>instance_id</c> names.</summary>
public enum InstanceKind
{
    /// <summary>A managed host with an agent (ManagedHost id).</summary>
    Host = 0,
    /// <summary>A child host reported by a parent agent (ChildHost id).</summary>
    Child = 1,
    /// <summary>A machine registered for remote install over SSH (RemoteMachine id).</summary>
    Remote = 2,
}

/// <summary>The wire words of the enumerations, in one place for every façade and page.</summary>
public static class AgentMaintenanceWords
{
    public const string Telescope = "telescope";

    private static readonly (AgentInvocationType Type, string Word)[] TypeWords =
    [
        (AgentInvocationType.Install, "INSTALL"),
        (AgentInvocationType.Update, "UPDATE"),
        (AgentInvocationType.Rollback, "ROLLBACK"),
        (AgentInvocationType.Retry, "RETRY"),
        (AgentInvocationType.SetRemoteInstallHost, "SET_REMOTE_INSTALL_HOST"),
        (AgentInvocationType.RemoteInstall, "REMOTE_INSTALL"),
    ];

    public static readonly IReadOnlyList<string> VersionTypes = ["BASIC_VERSION", "ADVANCE_VERSION"];
    public static readonly IReadOnlyList<string> Origins = ["CES", "APICOM_BMS", "ADMIN_SERVER"];

    public static string Word(this AgentInvocationType type) => TypeWords.First(t => t.Type == type).Word;

    public static AgentInvocationType? ParseType(string? word) =>
        TypeWords.Where(t => t.Word == word).Select(t => (AgentInvocationType?)t.Type).FirstOrDefault();

    public static string Word(this AgentInvocationStatus status) => status switch
    {
        AgentInvocationStatus.Waiting => "WAITING",
        AgentInvocationStatus.Running => "RUNNING",
        AgentInvocationStatus.Succeeded => "SUCCEEDED",
        AgentInvocationStatus.Failed => "FAILED",
        AgentInvocationStatus.Timeout => "TIMEOUT",
        _ => "ROLLBACKED",
    };

    public static AgentInvocationStatus? ParseStatus(string? word) =>
        Enum.GetValues<AgentInvocationStatus>().Where(s => s.Word() == word).Select(s => (AgentInvocationStatus?)s).FirstOrDefault();

    public static string Word(this InstanceKind kind) => kind switch
    {
        InstanceKind.Host => "host",
        InstanceKind.Child => "child",
        _ => "remote",
    };

    /// <summary>
    /// Who may create a task of this type. Installing, updating, rolling back and retrying agents is running work on hosts
    /// (operator); designating the SSH installer and handing it credentials gives root on other machines (admin).
    /// </summary>
    public static string MinimumRole(this AgentInvocationType type) =>
        type is AgentInvocationType.SetRemoteInstallHost or AgentInvocationType.RemoteInstall ? Roles.Admin : Roles.Operator;

    public static bool IsInstall(this AgentInvocationType type) => type is AgentInvocationType.Install or AgentInvocationType.RemoteInstall;
}
