using System.Net;
using System.Text.Json;
using Fleet.Domain.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Security;

/// <summary>What a dashboard cookie can do over HTTP, and how quickly it stops when its user changes.</summary>
public sealed class DashboardSessionTests : IDisposable
{
    private const string Password = "a-long-password-1";
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    private Task<UserView> CreateUserAsync(string name, string role) => _server.Get<IAccountAdmin>().CreateUserAsync(name, Password, role);

    [Theory]
    [InlineData("/api/v1/fleet/status", "detail")]
    [InlineData("/api/job_invocations", "error")]
    [InlineData("/v0/stageruns", "message")]
    public async Task SignedInBrowserWithoutToken_GetsApi401InTheFamilyShape(string path, string errorField)
    {
        await CreateUserAsync("alice", Roles.Admin);
        using var browser = await DashboardHttp.SignInAsync(_server, "alice", Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/")).Status);

        using var response = await browser.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.TryGetProperty(errorField, out _), $"{path}: {body}");
    }

    [Fact]
    public async Task SignedInBrowserWithoutToken_CannotOpenTheLiveHub()
    {
        await CreateUserAsync("abe", Roles.Admin);
        using var browser = await DashboardHttp.SignInAsync(_server, "abe", Password);

        using var response = await browser.Client.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var api = _server.Api();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null)).StatusCode);
    }

    [Fact]
    public async Task SignedInBrowser_CannotWriteThroughTheApi()
    {
        await CreateUserAsync("opal", Roles.Operator);
        using var browser = await DashboardHttp.SignInAsync(_server, "opal", Password);

        using var response = await browser.Client.PostAsync("/api/v1/fleet/broadcast/command",
            new StringContent("{\"command\":\"true\",\"hostnames\":[\"x\"]}", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var db = _server.Db();
        Assert.Equal(0, await db.Invocations.CountAsync());
    }

    [Fact]
    public async Task DeletedUser_CookieStopsWorking_OtherUsersKeepTheirs()
    {
        var bob = await CreateUserAsync("bob", Roles.Operator);
        await CreateUserAsync("carol", Roles.Operator);
        using var bobBrowser = await DashboardHttp.SignInAsync(_server, "bob", Password);
        using var carolBrowser = await DashboardHttp.SignInAsync(_server, "carol", Password);
        Assert.Equal(HttpStatusCode.OK, (await bobBrowser.GetPageAsync("/")).Status);

        await _server.Get<IAccountAdmin>().DeleteUserAsync(bob.Id);

        var (status, location) = await bobBrowser.GetPageAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Contains("/login", location);
        Assert.Equal(HttpStatusCode.OK, (await carolBrowser.GetPageAsync("/")).Status);
    }

    [Fact]
    public async Task DemotedAdmin_LosesTheAdminPage()
    {
        var dana = await CreateUserAsync("dana", Roles.Admin);
        using var browser = await DashboardHttp.SignInAsync(_server, "dana", Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/settings")).Status);

        await _server.Get<IAccountAdmin>().SetRoleAsync(dana.Id, Roles.Viewer);

        var (status, location) = await browser.GetPageAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.DoesNotContain("/settings", new Uri(_server.Address, location).AbsolutePath);
        // Signing in again gives a session with the new role: the dashboard, not the admin page.
        using var again = await DashboardHttp.SignInAsync(_server, "dana", Password);
        Assert.Equal(HttpStatusCode.OK, (await again.GetPageAsync("/")).Status);
        Assert.Contains("/access-denied", (await again.GetPageAsync("/settings")).Location);
    }

    [Fact]
    public async Task DisabledUser_IsSignedOutAndCannotSignIn_UntilEnabled()
    {
        var erin = await CreateUserAsync("erin", Roles.Viewer);
        using var browser = await DashboardHttp.SignInAsync(_server, "erin", Password);

        await _server.Get<IAccountAdmin>().SetDisabledAsync(erin.Id, disabled: true);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetPageAsync("/")).Status);
        using var retry = await DashboardHttp.OpenAsync(_server);
        await retry.PostLoginAsync("erin", Password);
        Assert.False(retry.IsSignedIn);

        await _server.Get<IAccountAdmin>().SetDisabledAsync(erin.Id, disabled: false);
        await retry.PostLoginAsync("erin", Password);
        Assert.True(retry.IsSignedIn);
    }

    [Fact]
    public async Task PasswordChange_EndsExistingSessions()
    {
        var finn = await CreateUserAsync("finn", Roles.Viewer);
        using var browser = await DashboardHttp.SignInAsync(_server, "finn", Password);

        await _server.Get<IAccountAdmin>().SetPasswordAsync(finn.Id, "another-password-2");

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetPageAsync("/")).Status);
    }

    [Fact]
    public async Task StampChangedElsewhere_IsNoticedWithinTheCheckInterval()
    {
        // Another server instance (or an operator in the database) rotates the stamp: this instance's cache must not hide it for long.
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Security:SessionCheckSeconds"] = "2" });
        var gus = await server.Get<IAccountAdmin>().CreateUserAsync("gus", Password, Roles.Viewer);
        using var browser = await DashboardHttp.SignInAsync(server, "gus", Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/")).Status);

        await using (var db = server.Db())
        {
            var user = await db.Users.SingleAsync(u => u.Id == gus.Id);
            user.RotateStamp();
            await db.SaveChangesAsync();
        }

        await Eventually.Until(async () => (await browser.GetPageAsync("/")).Status, s => s == HttpStatusCode.Redirect,
            "the rotated stamp to end the session", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefused_WithItSignsOut()
    {
        await CreateUserAsync("hana", Roles.Viewer);
        using var browser = await DashboardHttp.SignInAsync(_server, "hana", Password);

        using var forged = await browser.Client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/")).Status);

        using var real = await browser.Client.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = browser.AntiforgeryToken }));
        Assert.Equal(HttpStatusCode.Redirect, real.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetPageAsync("/")).Status);
    }
}
