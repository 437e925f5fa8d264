using System.Net;
using Fleet.Domain.Operations;

namespace Fleet.Tests.Domain.Operations;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    public void IsPublic_RefusesLoopbackPrivateAndLinkLocal(string address, bool expected)
    {
        Assert.Equal(expected, AddressPolicy.IsPublic(IPAddress.Parse(address)));
    }

    [Fact]
    public void Wants_OnFailureOnly_NotifiesOnlyFailures_AndNeedsATarget()
    {
        var onFailure = new NotificationSettings(OnFailure: true, WebhookUrl: "https://example.com/hook");

        Assert.True(onFailure.Wants(failed: true));
        Assert.False(onFailure.Wants(failed: false));
        Assert.True((onFailure with { OnCompletion = true }).Wants(failed: false));
        Assert.False(new NotificationSettings(OnCompletion: true).Wants(failed: true));
    }
}
