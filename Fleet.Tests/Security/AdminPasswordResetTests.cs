using System.Net;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;

namespace Fleet.Tests.Security;

public sealed class AdminPasswordResetTests
{
    [Fact]
    public async Task Reset_OfALockedOutAdmin_SetsThePassword_LiftsTheLockout_AndEndsOldSessions()
    {
        using var server = new FleetServer();
        using var before = await DashboardHttp.SignInAsync(server, "admin", FleetServer.AdminPassword);
        using (var attacker = await DashboardHttp.OpenAsync(server))
            for (var i = 0; i < 10; i++) await attacker.PostLoginAsync("admin", "wrong-" + i);
        using (var locked = await DashboardHttp.OpenAsync(server))
        {
            await locked.PostLoginAsync("admin", FleetServer.AdminPassword);
            Assert.False(locked.IsSignedIn, "ten failures lock the admin out");
        }

        var output = new StringWriter();
        var exit = await AdminPasswordReset.RunAsync(server.Services, [AdminPasswordReset.Verb, "--password", "fresh-password-7"], output);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("fresh-password-7", output.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await before.GetPageAsync("/")).Status);
        using var after = await DashboardHttp.SignInAsync(server, "admin", "fresh-password-7");
        Assert.Equal(HttpStatusCode.OK, (await after.GetPageAsync("/")).Status);
    }

    [Fact]
    public async Task Reset_WithoutAPassword_PrintsAGeneratedOneThatWorks()
    {
        using var server = new FleetServer();
        var output = new StringWriter();
        Assert.Equal(0, await AdminPasswordReset.RunAsync(server.Services, [AdminPasswordReset.Verb], output));
        var password = System.Text.RegularExpressions.Regex.Match(output.ToString(), "is now ([0-9a-f]{20})").Groups[1].Value;
        using var http = await DashboardHttp.SignInAsync(server, "admin", password);
        Assert.True(http.IsSignedIn);
    }

    [Fact]
    public async Task Command_ForAnUnknownAdmin_ExitsTwoWithoutStartingTheServer()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "reset-" + Guid.NewGuid().ToString("N"));
        using var process = ProgramProcess.Start("Fleet.Web", [AdminPasswordReset.Verb, "--user", "nobody"], new Dictionary<string, string>
        {
            ["ConnectionStrings__Fleet"] = $"Data Source={Path.Combine(directory, "fleet.db")}",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ProgramProcess.FreePort()}",
            ["Fleet__LocalAgent__Enabled"] = "false",
        });
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("there is no admin user 'nobody'", process.Output);
        Assert.DoesNotContain("Now listening", process.Output);
        Directory.Delete(directory, recursive: true);
    }
}
