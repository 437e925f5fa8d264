using Fleet.Domain;
using Fleet.Domain.Hosts;

namespace Fleet.Tests.Domain.Hosts;

public sealed class ReenrolmentRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private static ReenrolmentRequest NewRequest() =>
        new(Guid.NewGuid(), Guid.NewGuid(), "web-01", "10.0.0.9", "boot-new", "10.0.0.1", "boot-old", Now);

    [Fact]
    public void NewRequest_IsPendingWithBothAgentsRecorded()
    {
        var request = NewRequest();
        Assert.Equal(ReenrolmentStatus.Pending, request.Status);
        Assert.True(request.IsOpen);
        Assert.Equal(("10.0.0.9", "boot-new", "10.0.0.1", "boot-old"), (request.RemoteAddress, request.BootId, request.CurrentAgentAddress, request.CurrentAgentBootId));
    }

    [Fact]
    public void Renew_WhilePending_KeepsTheLatestRequester()
    {
        var request = NewRequest();
        request.Renew("web-01", "10.0.0.10", "boot-newer", Now.AddMinutes(1));
        Assert.Equal(("10.0.0.10", "boot-newer", Now.AddMinutes(1)), (request.RemoteAddress, request.BootId, request.LastRequestedAt));
        Assert.Equal(Now, request.RequestedAt);
    }

    [Fact]
    public void Approve_ThenComplete_EndsTheRequest()
    {
        var request = NewRequest();
        request.Approve(Now);
        Assert.Throws<DomainException>(() => request.Renew("web-01", null, null, Now));
        Assert.Throws<DomainException>(() => request.Reject(Now));
        request.Complete(Now);
        Assert.Equal(ReenrolmentStatus.Completed, request.Status);
        Assert.False(request.IsOpen);
    }

    [Fact]
    public void Complete_WithoutApproval_Throws() => Assert.Throws<DomainException>(() => NewRequest().Complete(Now));

    [Fact]
    public void Rejected_CannotBeApprovedOrSuperseded()
    {
        var request = NewRequest();
        request.Reject(Now);
        Assert.Throws<DomainException>(() => request.Approve(Now));
        request.Supersede(Now);
        Assert.Equal(ReenrolmentStatus.Rejected, request.Status);
    }
}
