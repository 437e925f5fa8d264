namespace Fleet.Domain.Hosts;

public enum HostApproval
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}

public enum HostConnectivity
{
    Offline = 0,
    Online = 1,
}
