using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Domain.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Fleet.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>Who may act through a real browser: no cross-site writes, sessions that end, and dashboard actions in the audit log.</summary>
[Collection(BrowserTests.Name)]
public sealed class TrustBrowserTests
{
    private const string Password = "a-long-password-1";

    [Fact]
    public async Task CrossOriginTextPlainForm_WhileAnOperatorIsSignedIn_RunsNothing()
    {
        using var server = new FleetServer();
        await server.StartAcceptedAgentAsync("victim-01");
        await server.Get<IAccountAdmin>().CreateUserAsync("otto", Password, Roles.Operator);
        await using var browser = await BrowserSession.SignInAsync(server, "otto", Password);
        var target = new Uri(server.Address, "/api/v1/fleet/broadcast/command");
        // text/plain sends "name=value": the name opens a JSON object and the value closes it, so the body is valid JSON.
        var html = $$"""
            <html><body>
            <form method="post" enctype="text/plain" action="{{target}}">
              <input type="hidden" name='{"command":"echo csrf-ran","hostnames":["victim-01"],"pad":"' value='"}' />
            </form>
            <script>document.forms[0].submit();</script>
            </body></html>
            """;
        await using var attacker = await OtherOriginSite.StartAsync(html);

        var page = await browser.Page.Context.NewPageAsync();
        var response = await page.RunAndWaitForResponseAsync(() => page.GotoAsync(attacker.Address.ToString()),
            r => r.Url == target.ToString());

        Assert.Equal(401, response.Status);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Not authenticated");
        await using (var db = server.Db())
        {
            Assert.Equal(0, await db.Invocations.CountAsync());
            Assert.Equal(0, await db.Commands.CountAsync());
        }

        // The same body with a token does run: the refusal above was the cookie being ignored, not a broken route.
        using var api = server.Api();
        using var withToken = await api.PostAsync(target, new StringContent("{\"command\":\"echo ok\",\"hostnames\":[\"victim-01\"]}",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        await using (var db = server.Db()) Assert.Equal(1, await db.Invocations.CountAsync());
    }

    [Fact]
    public async Task DeletedUser_OpenCircuit_IsSentToLoginWithinThirtySeconds()
    {
        // Default settings: the 30-second bound is the product's, not a test value.
        using var server = new FleetServer();
        var paul = await server.Get<IAccountAdmin>().CreateUserAsync("paul", Password, Roles.Operator);
        await using var browser = await BrowserSession.SignInAsync(server, "paul", Password);
        await Assertions.Expect(browser.Page.Locator("#signed-in-user")).ToHaveTextAsync("paul");

        await server.Get<IAccountAdmin>().DeleteUserAsync(paul.Id);
        var deleted = DateTime.UtcNow;

        await browser.Login.ExpectShownAsync(timeout: 40_000);
        Assert.True(DateTime.UtcNow - deleted < TimeSpan.FromSeconds(32), $"took {DateTime.UtcNow - deleted}");
        await browser.Page.GotoAsync("/");
        await browser.Login.ExpectShownAsync();
    }

    [Fact]
    public async Task DemotedAdmin_OpenSettingsCircuit_LosesIt()
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Security:SessionCheckSeconds"] = "3" });
        var quinn = await server.Get<IAccountAdmin>().CreateUserAsync("quinn", Password, Roles.Admin);
        await using var browser = await BrowserSession.SignInAsync(server, "quinn", Password);
        var settings = await new SettingsPage(browser).OpenAsync();
        await Assertions.Expect(settings.UsersTable).ToBeVisibleAsync();

        await server.Get<IAccountAdmin>().SetRoleAsync(quinn.Id, Roles.Viewer);

        await Assertions.Expect(settings.UsersTable).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await browser.Login.ExpectShownAsync();
    }

    [Fact]
    public async Task DashboardAction_AppearsInTheAuditLog_AndOnTheAuditPage()
    {
        using var server = new FleetServer();
        await server.Get<IAccountAdmin>().CreateUserAsync("uma", Password, Roles.Viewer);
        await using var browser = await BrowserSession.SignInAsync(server);
        var settings = await new SettingsPage(browser).OpenAsync();

        await settings.DisableUserAsync("uma");
        await Assertions.Expect(settings.UserAction("enable-user", "uma")).ToBeVisibleAsync();

        using var api = server.Api();
        var entries = await Eventually.Until(
            async () => (await api.GetFromJsonAsync<JsonElement>("/api/v1/audit?search=disable")).GetProperty("entries"),
            e => e.GetArrayLength() > 0, "the dashboard action's audit record");
        var entry = entries[0];
        Assert.Equal("admin", entry.GetProperty("actor").GetString());
        Assert.Equal("user", entry.GetProperty("actor_kind").GetString());
        Assert.Equal("dashboard", entry.GetProperty("source").GetString());
        Assert.Equal("disable user", entry.GetProperty("action").GetString());
        Assert.Equal("user uma", entry.GetProperty("target").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("address").GetString());
        Assert.Equal("success", entry.GetProperty("outcome").GetString());

        var audit = await new AuditPage(browser).OpenAsync();
        await audit.SearchAsync("disable");
        await Assertions.Expect(audit.Entries("disable user")).ToHaveCountAsync(1);
        await Assertions.Expect(audit.Entries("sign-in")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignOutButton_EndsTheSession()
    {
        using var server = new FleetServer();
        await using var browser = await BrowserSession.SignInAsync(server);
        await browser.Page.ClickAsync("#sign-out");
        await browser.Login.ExpectShownAsync();
        await browser.Page.GotoAsync("/settings");
        await browser.Login.ExpectShownAsync();
    }
}
