namespace Fleet.Domain.AgentMaintenance;

/// <summary>A request-level error of seed 003: <c>{"error_code": "taskmgr.NNNN", "error_msg": "..."}</c>.</summary>
public sealed record TaskError(string Code, string Message)
{
    public const int MaxMessageLength = 256;

    public string Message { get; } = Message.Length <= MaxMessageLength ? Message : Message[..(MaxMessageLength - 1)] + "…";
}

/// <summary>
/// Every <c>taskmgr.NNNN</c> code Fleet answers, one per rule. 1xxx are the request rules of Tables 1–4 (400); 04xx and
/// 0500 mirror the HTTP status they come with. The README's table is written from this list.
/// </summary>
public static class TaskErrors
{
    public static readonly TaskError MalformedBody = new("taskmgr.1001", "The request body is not a JSON object.");
    public static TaskError ProjectId() => new("taskmgr.1002", "project_id must be 1 to 64 characters.");
    public static readonly TaskError TypeMissing = new("taskmgr.1003", "invocation_type is required.");
    public static readonly TaskError TypeUnknown = new("taskmgr.1004",
        "invocation_type must be one of INSTALL, UPDATE, ROLLBACK, RETRY, SET_REMOTE_INSTALL_HOST, REMOTE_INSTALL.");
    public static TaskError InstanceIdsMissing(string type) => new("taskmgr.1005", $"instance_ids is required when invocation_type is {type}.");
    public static readonly TaskError InstanceIdsLength = new("taskmgr.1006", "instance_ids must be an array of 1 to 100 strings.");
    public static readonly TaskError InstanceIdInvalid = new("taskmgr.1007", "Each of instance_ids must be 1 to 64 letters, digits or '-'.");
    public static TaskError InvocationIdsMissing(string type) => new("taskmgr.1008", $"invocation_ids is required when invocation_type is {type}.");
    public static readonly TaskError InvocationIdsLength = new("taskmgr.1009", "invocation_ids must be an array of 1 to 100 strings.");
    public static readonly TaskError InvocationIdInvalid = new("taskmgr.1010", "Each of invocation_ids must be 1 to 64 letters, digits or '-'.");
    public static readonly TaskError TargetUnknown = new("taskmgr.1011", "invocation_target must be telescope.");
    public static readonly TaskError VersionTypeUnknown = new("taskmgr.1012", "version_type must be BASIC_VERSION or ADVANCE_VERSION.");
    public static readonly TaskError OriginUnknown = new("taskmgr.1013", "origin must be CES, APICOM_BMS or ADMIN_SERVER.");
    public static readonly TaskError VersionLength = new("taskmgr.1014", "version must be at most 64 characters.");
    public static readonly TaskError VersionPattern = new("taskmgr.1015", "version may hold only letters, digits, '_', '-' and '.'.");
    public static readonly TaskError RemoteMetaLength = new("taskmgr.1016", "remote_install_meta must be an array of at most 100 objects.");
    public static readonly TaskError RemoteMetaEntry = new("taskmgr.1017", "Each of remote_install_meta must be a JSON object.");
    public static readonly TaskError RemoteInstanceName = new("taskmgr.1018", "remote_install_meta[].instance_name must be 1 to 128 characters.");
    public static readonly TaskError RemoteIp = new("taskmgr.1019", "remote_install_meta[].remote_ip must be 1 to 15 digits and dots.");
    public static readonly TaskError RemoteUserName = new("taskmgr.1020", "remote_install_meta[].user_name must be 1 to 16 characters.");
    public static readonly TaskError RemotePortLength = new("taskmgr.1021", "remote_install_meta[].port must be 1 to 5 characters.");
    public static readonly TaskError RemotePortNumber = new("taskmgr.1022", "remote_install_meta[].port must be a port number from 1 to 65535.");
    public static readonly TaskError RemotePassword = new("taskmgr.1023", "remote_install_meta[].password must be 1 to 3000 characters.");
    public static readonly TaskError RemoteUsePem = new("taskmgr.1024", "remote_install_meta[].remote_use_pem must be true or false.");
    public static readonly TaskError RemoteMetaMissing = new("taskmgr.1025", "remote_install_meta needs at least one entry when invocation_type is REMOTE_INSTALL.");
    public static readonly TaskError InstallerCount = new("taskmgr.1026", "instance_ids must hold exactly one id when invocation_type is SET_REMOTE_INSTALL_HOST.");
    public static TaskError Waves(string why) => new("taskmgr.1027", $"waves is invalid: {why}");
    public static TaskError FailureThreshold(string why) => new("taskmgr.1028", $"failure_threshold is invalid: {why}");
    public static TaskError QueryParameter(string name, string rule) => new("taskmgr.1029", $"{name} {rule}");
    public static readonly TaskError TooLarge = new("taskmgr.1030", "The request body is too large.");

    public static readonly TaskError Unauthorized = new("taskmgr.0401", "Authentication required: send a valid token in X-Auth-Token or Authorization: Bearer.");
    public static TaskError Forbidden(string what) => new("taskmgr.0403", what);
    public static TaskError NotFound(string what) => new("taskmgr.0404", what);
    public static readonly TaskError MethodNotAllowed = new("taskmgr.0405", "The method is not allowed on this path.");
    public static readonly TaskError TooManyRequests = new("taskmgr.0429", "Too many rejected tokens from this address; try again later.");
    public static readonly TaskError Internal = new("taskmgr.0500", "Internal server error; nothing was created.");
}

/// <summary>A per-instance refusal or failure of seed 003 (<c>invocationmgr.NNNN</c>, message at most 128 characters).</summary>
public sealed record InstanceError(string Code, string Message)
{
    public const int MaxMessageLength = 128;

    public string Message { get; } = Truncate(Message);

    public static string Truncate(string message) => message.Length <= MaxMessageLength ? message : message[..(MaxMessageLength - 1)] + "…";
}

/// <summary>
/// Every <c>invocationmgr.NNNN</c> code: 2xxx refuse an instance when the task is created (it gets no invocation);
/// 3xxx end an accepted invocation FAILED or TIMEOUT.
/// </summary>
public static class InstanceErrors
{
    public static readonly InstanceError UnknownInstance = new("invocationmgr.2001", "unknown instance");
    public static readonly InstanceError InstallConditions = new("invocationmgr.2002", "do not meet the installation conditions");
    public static readonly InstanceError AgentOffline = new("invocationmgr.2003", "the agent is offline");
    public static InstanceError NoSuchVersion(string version) => new("invocationmgr.2004", $"no agent package of version {version}");
    public static readonly InstanceError NoPackage = new("invocationmgr.2005", "no agent package is stored");
    public static InstanceError AlreadyAtVersion(string version) => new("invocationmgr.2006", $"already at version {version}");
    public static readonly InstanceError UnknownInvocation = new("invocationmgr.2007", "unknown invocation");
    public static readonly InstanceError NothingToRollBack = new("invocationmgr.2008", "nothing to roll back to: not an UPDATE with a version before it");
    public static readonly InstanceError NotFailed = new("invocationmgr.2009", "not failed, so nothing to retry");
    public static readonly InstanceError NoInstaller = new("invocationmgr.2010", "no remote install host is designated");
    public static readonly InstanceError InstallerOffline = new("invocationmgr.2011", "the remote install host's agent is offline");
    public static readonly InstanceError NotApproved = new("invocationmgr.2012", "the host is not approved");
    public static readonly InstanceError RemoteIpMissing = new("invocationmgr.2013", "remote_ip is required");
    public static readonly InstanceError Busy = new("invocationmgr.2014", "another task of this instance is still in progress");
    public static readonly InstanceError DuplicateInBatch = new("invocationmgr.2015", "named twice in this request");
    public static readonly InstanceError NotAnUpdate = new("invocationmgr.2016", "only an UPDATE can be rolled back");
    public static readonly InstanceError NotRetryable = new("invocationmgr.2017", "this task type cannot be retried");
    public static readonly InstanceError ParentOffline = new("invocationmgr.2018", "the parent host's agent is offline");
    public static InstanceError NotStarted(string why) => new("invocationmgr.2019", why);

    public static InstanceError CommandFailed(string why) => new("invocationmgr.3001", why);
    public static InstanceError TimedOut(string why) => new("invocationmgr.3002", why);
    public static InstanceError Cancelled(string why) => new("invocationmgr.3003", why);
    public static readonly InstanceError NeverEnrolled = new("invocationmgr.3004", "the install ran but the new agent did not enrol before its ticket expired");
}
