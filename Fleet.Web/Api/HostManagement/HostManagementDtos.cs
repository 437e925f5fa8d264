namespace Fleet.Web.Api.HostManagement;

// Wire shapes of the host-management family (seed 001). Serialized snake_case: TotalHosts → total_hosts.

public sealed record FleetStatusResponse(int TotalHosts, int OnlineHosts, int OfflineHosts, int PendingApproval, int AgentsWithErrors, string LastUpdated);

public sealed record AgentSummary(string Hostname, Guid Id, string Status, string LastSeen, string Platform, string Version, string IpAddress);

public sealed record AgentListResponse(IReadOnlyList<AgentSummary> Agents);

public sealed record DiskUsage(string Total, string Used, string Free);

public sealed record AgentDetailResponse(
    string Hostname, Guid Id, string Status, string LastSeen, string Platform, string OsVersion, string AgentVersion,
    string IpAddress, int CpuCount, string MemoryTotal, DiskUsage DiskUsage, string Uptime);

public sealed record StorageDeviceDto(string Device, string MountPoint, string Filesystem, string TotalSize, string UsedSpace, string FreeSpace, int UsagePercentage);

public sealed record StorageResponse(IReadOnlyList<StorageDeviceDto> StorageDevices, string? LastUpdated);

public sealed record NetworkInterfaceDto(string Interface, string? IpAddress, string? Netmask, string? Gateway, string? MacAddress, string Status, string? Speed);

public sealed record NetworkResponse(IReadOnlyList<NetworkInterfaceDto> NetworkInterfaces, string? LastUpdated);

public sealed record UserDto(string Username, int Uid, int Gid, string HomeDirectory, string Shell, string? LastLogin);

public sealed record UsersResponse(IReadOnlyList<UserDto> Users, string? LastUpdated);

public sealed record GroupDto(string Name, int Gid, IReadOnlyList<string> Members);

public sealed record GroupsResponse(IReadOnlyList<GroupDto> Groups, string? LastUpdated);

public sealed record PackageDto(string Name, string Version, string Architecture, string Status, string Description, string? InstallDate);

public sealed record SoftwareResponse(IReadOnlyList<PackageDto> Packages, int TotalPackages, string? LastUpdated);

public sealed record RefreshRequestedResponse(string Message, Guid RequestId, string EstimatedCompletion);

public sealed record BulkHardwareUpdateRequest(IReadOnlyList<string>? HostIds, bool? IncludeStorage, bool? IncludeNetwork, bool? IncludeUsers);

/// <param name="Status">sent | queued (the agent is offline and gets it when it reconnects) | not_found | not_approved</param>
/// <param name="RequestId">The recorded request; null when nothing was recorded for the host.</param>
/// <param name="Detail">Why nothing was sent now; null when it was.</param>
public sealed record BulkHardwareUpdateResult(Guid HostId, string Status, Guid? RequestId, string? Detail);

/// <param name="TotalHosts">Every distinct host id asked for, known or not.</param>
/// <param name="RequestsSent">Only the requests delivered to a connected agent.</param>
/// <param name="Results">Fleet's addition to seed 001's answer: what happened for each host.</param>
public sealed record BulkHardwareUpdateResponse(Guid BatchId, int TotalHosts, int RequestsSent, string EstimatedCompletion, IReadOnlyList<BulkHardwareUpdateResult> Results);

public sealed record HostDecisionResponse(string Message, Guid HostId, string Status);
