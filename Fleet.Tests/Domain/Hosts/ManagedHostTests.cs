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
        Assert.False(host.CanIssueFirstSecret);
    }

    [Theory]
    [InlineData("", "web")]
    [InlineData("m", " ")]
    public void Constructor_RejectsMissingIdentity(string machineId, string hostname) =>
        Assert.Throws<DomainException>(() => new ManagedHost(Guid.NewGuid(), machineId, hostname, Now));

    [Fact]
    public void Approve_AllowsIssuingTheFirstSecretOnlyOnce()
    {
        var host = NewHost();
        host.Approve(Now);
        Assert.True(host.CanIssueFirstSecret);
        host.IssueFirstSecret("hash-1", Now);
        Assert.False(host.CanIssueFirstSecret);
        Assert.Throws<DomainException>(() => host.IssueFirstSecret("hash-2", Now));
        Assert.Equal("hash-1", host.SecretHash);
        Assert.Null(host.SecretConfirmedAt);
        host.ConfirmSecret(Now);
        Assert.Equal(Now, host.SecretConfirmedAt);
    }

    [Fact]
    public void RevokeSecret_ClearsTheSecretTakesTheHostOfflineAndNeverReopensFirstIssue()
    {
        var host = NewHost();
        host.Approve(Now);
        host.IssueFirstSecret("hash-1", Now);
        host.MarkOnline(Now);
        host.RevokeSecret(Now.AddMinutes(1));
        Assert.Null(host.SecretHash);
        Assert.True(host.IsRevoked);
        Assert.False(host.IsOnline);
        Assert.False(host.CanIssueFirstSecret);
        Assert.Throws<DomainException>(() => host.RevokeSecret(Now.AddMinutes(2)));
        host.ReplaceSecret("hash-2", Now.AddMinutes(3));
        Assert.False(host.IsRevoked);
        Assert.Equal("hash-2", host.SecretHash);
    }

    [Fact]
    public void RevokeSecret_WhenPending_Throws() => Assert.Throws<DomainException>(() => NewHost().RevokeSecret(Now));

    [Fact]
    public void IsLost_CountsFromTheMomentTheHostWentOffline()
    {
        var host = NewHost();
        host.Approve(Now);
        host.MarkOnline(Now);
        Assert.False(host.IsLost(Now.AddHours(1), TimeSpan.FromSeconds(90)));
        host.MarkOffline(Now.AddMinutes(10));
        Assert.False(host.IsLost(Now.AddMinutes(11), TimeSpan.FromSeconds(90)));
        Assert.True(host.IsLost(Now.AddMinutes(11).AddSeconds(30), TimeSpan.FromSeconds(90)));
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
        host.Reject(Now);
        Assert.Equal(HostApproval.Rejected, host.Approval);
        Assert.Throws<DomainException>(() => host.MarkOnline(Now));
        Assert.Throws<DomainException>(() => host.Approve(Now));
    }

    [Fact]
    public void Reject_WhenApproved_Throws()
    {
        var host = NewHost();
        host.Approve(Now);
        Assert.Throws<DomainException>(() => host.Reject(Now));
    }

    [Fact]
    public void IssueFirstSecret_BeforeApproval_Throws() => Assert.Throws<DomainException>(() => NewHost().IssueFirstSecret("hash", Now));

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
