using Fleet.Domain.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;

namespace Fleet.Tests.Security;

public sealed class LastAdminTests : IDisposable
{
    private readonly FleetServer _server = new();

    [Fact]
    public async Task LastAdmin_CannotBeDeletedOrDemoted_UntilAnotherAdminExists()
    {
        var accounts = _server.Get<IAccountAdmin>();
        await accounts.CreateUserAsync("erin", "erin-password-1", Roles.Admin);
        // Whatever admins the server starts with go first, so erin is the only one left.
        foreach (var other in (await accounts.ListUsersAsync()).Where(u => u.Role == Roles.Admin && u.Username != "erin"))
            await accounts.DeleteUserAsync(other.Id);
        var erin = (await accounts.ListUsersAsync()).Single(u => u.Username == "erin");

        var deleteError = await Assert.ThrowsAsync<ArgumentException>(() => accounts.DeleteUserAsync(erin.Id));
        var demoteError = await Assert.ThrowsAsync<ArgumentException>(() => accounts.SetRoleAsync(erin.Id, Roles.Operator));
        Assert.Equal("Fleet needs at least one admin user.", deleteError.Message);
        Assert.Equal("Fleet needs at least one admin user.", demoteError.Message);
        Assert.Equal(Roles.Admin, (await accounts.ListUsersAsync()).Single(u => u.Username == "erin").Role);

        await accounts.CreateUserAsync("frank", "frank-password-1", Roles.Admin);
        await accounts.SetRoleAsync(erin.Id, Roles.Operator);
        Assert.Equal(Roles.Operator, (await accounts.ListUsersAsync()).Single(u => u.Username == "erin").Role);
    }

    public void Dispose() => _server.Dispose();
}
