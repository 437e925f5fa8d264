using Fleet.Domain;
using Fleet.Domain.Hosts;

namespace Fleet.Tests.Domain.Hosts;

public sealed class ManagedHostTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static ManagedHost NewHost() => new(Guid.NewGuid(), "machine-1", "web-01", Now);

    [Fact]
    public void NewHost_IsPendingAndOffline()
    {
        var host = NewHost();
        Assert.Equal(HostApproval.Pending, host.Approval);
        Assert.Equal(HostConnectivity.Offline, host.Connectivity);
        Assert.False(host.CanIssueSecret);
    }

    [Theory]
    [InlineData("", "web")]
    [InlineData("m", " ")]
    public void Constructor_RejectsMissingIdentity(string machineId, string hostname) =>
        Assert.Throws<DomainException>(() => new ManagedHost(Guid.NewGuid(), machineId, hostname, Now));

    [Fact]
    public void Approve_AllowsIssuingASecretUntilConfirmed()
    {
        var host = NewHost();
        host.Approve(Now);
        Assert.True(host.CanIssueSecret);
        host.IssueSecret("hash-1");
        host.IssueSecret("hash-2");
        Assert.Equal("hash-2", host.SecretHash);
        host.ConfirmSecret(Now);
        Assert.False(host.CanIssueSecret);
        Assert.Throws<DomainException>(() => host.IssueSecret("hash-3"));
    }

    [Fact]
    public void Approve_Twice_Throws()
    {
        var host = NewHost();
        host.Approve(Now);
        Assert.Throws<DomainException>(() => host.Approve(Now));
    }

    [Fact]
    public void Reject_WhenPending_MakesHostRejectedAndOffline()
    {
        var host = NewHost();
        host.Reject();
        Assert.Equal(HostApproval.Rejected, host.Approval);
        Assert.Throws<DomainException>(() => host.MarkOnline(Now));
        Assert.Throws<DomainException>(() => host.Approve(Now));
    }

    [Fact]
    public void Reject_WhenApproved_Throws()
    {
        var host = NewHost();
        host.Approve(Now);
        Assert.Throws<DomainException>(() => host.Reject());
    }

    [Fact]
    public void IssueSecret_BeforeApproval_Throws() => Assert.Throws<DomainException>(() => NewHost().IssueSecret("hash"));

    [Fact]
    public void Seen_NeverMovesLastSeenBackwards()
    {
        var host = NewHost();
        host.Seen(Now.AddMinutes(5));
        host.Seen(Now.AddMinutes(1));
        Assert.Equal(Now.AddMinutes(5), host.LastSeen);
    }

    [Fact]
    public void RecordInventory_PartialRefreshKeepsTheFullInventoryHash()
    {
        var host = NewHost();
        host.RecordInventory("full-hash", Now);
        host.RecordInventory(null, Now.AddMinutes(1));
        Assert.Equal("full-hash", host.InventoryHash);
        Assert.Equal(Now.AddMinutes(1), host.InventoryUpdatedAt);
    }

    [Fact]
    public void ReportError_BlankClearsTheError()
    {
        var host = NewHost();
        host.ReportError("software: dpkg database unreadable");
        Assert.NotNull(host.LastError);
        host.ReportError("  ");
        Assert.Null(host.LastError);
    }
}
