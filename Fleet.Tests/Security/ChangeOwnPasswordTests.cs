using System.Net;
using Fleet.Domain.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;

namespace Fleet.Tests.Security;

public sealed class ChangeOwnPasswordTests : IDisposable
{
    private readonly FleetServer _server = new();

    [Fact]
    public async Task ChangeOwnPassword_EndsTheOldSession_AndOnlyTheNewPasswordSignsIn()
    {
        var accounts = _server.Get<IAccountAdmin>();
        await accounts.CreateUserAsync("carol", "old-password-1", Roles.Viewer);
        using var before = await DashboardHttp.SignInAsync(_server, "carol", "old-password-1");

        await accounts.ChangeOwnPasswordAsync("carol", "old-password-1", "new-password-2");

        Assert.Equal(HttpStatusCode.Redirect, (await before.GetPageAsync("/")).Status);
        using var withOld = await DashboardHttp.OpenAsync(_server);
        await withOld.PostLoginAsync("carol", "old-password-1");
        Assert.False(withOld.IsSignedIn);
        using var withNew = await DashboardHttp.SignInAsync(_server, "carol", "new-password-2");
        Assert.Equal(HttpStatusCode.OK, (await withNew.GetPageAsync("/")).Status);
    }

    [Theory]
    [InlineData("wrong-password", "new-password-2", "current password is not right")]
    [InlineData("old-password-1", "short", "at least 8 characters")]
    [InlineData("old-password-1", "old-password-1", "must differ")]
    public async Task ChangeOwnPassword_Refused_LeavesThePasswordAsItWas(string current, string next, string reason)
    {
        var accounts = _server.Get<IAccountAdmin>();
        await accounts.CreateUserAsync("dave", "old-password-1", Roles.Viewer);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => accounts.ChangeOwnPasswordAsync("dave", current, next));
        Assert.Contains(reason, error.Message);
        using var http = await DashboardHttp.SignInAsync(_server, "dave", "old-password-1");
        Assert.True(http.IsSignedIn);
    }

    public void Dispose() => _server.Dispose();
}
