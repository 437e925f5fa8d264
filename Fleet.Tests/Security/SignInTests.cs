using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Fleet.Domain.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;

namespace Fleet.Tests.Security;

/// <summary>Guessing passwords and tokens: lockout, per-address rate limits, and no timing oracle for usernames.</summary>
public sealed class SignInTests
{
    private const string Password = "a-long-password-1";

    [Fact]
    public async Task TenFailures_LockTheUser_EvenTheRightPasswordIsRefused_UntilAnAdminUnlocks()
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Security:LoginRateLimit:PermitLimit"] = "1000" });
        var accounts = server.Get<IAccountAdmin>();
        var ivan = await accounts.CreateUserAsync("ivan", Password, Roles.Viewer);
        using var browser = await DashboardHttp.OpenAsync(server);

        for (var i = 0; i < 9; i++) await browser.PostLoginAsync("ivan", "wrong-password");
        Assert.Equal(0, (await accounts.ListUsersAsync()).Count(u => u.LockedUntil is not null));
        await browser.PostLoginAsync("ivan", "wrong-password");

        var locked = (await accounts.ListUsersAsync()).Single(u => u.Id == ivan.Id);
        Assert.NotNull(locked.LockedUntil);
        Assert.InRange(locked.LockedUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));
        var refused = await browser.PostLoginAsync("ivan", Password);
        Assert.Contains("error=1", refused.Headers.Location?.ToString());
        Assert.False(browser.IsSignedIn);

        await accounts.UnlockAsync(ivan.Id);
        await browser.PostLoginAsync("ivan", Password);
        Assert.True(browser.IsSignedIn);
    }

    [Fact]
    public async Task SignIn_WithoutTheFormsAntiforgeryToken_IsRefused()
    {
        using var server = new FleetServer();
        using var browser = await DashboardHttp.OpenAsync(server);

        using var forged = await browser.Client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin",
            ["password"] = FleetServer.AdminPassword,
        }));

        // The framework refuses the form binding with a bare 400, which the dashboard's status-code pages render as their error page.
        Assert.InRange((int)forged.StatusCode, 400, 499);
        Assert.False(browser.IsSignedIn);
        await browser.PostLoginAsync("admin", FleetServer.AdminPassword);
        Assert.True(browser.IsSignedIn);
    }

    [Fact]
    public async Task ASuccessfulSignIn_ResetsTheFailureCount()
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Security:LoginRateLimit:PermitLimit"] = "1000" });
        await server.Get<IAccountAdmin>().CreateUserAsync("jade", Password, Roles.Viewer);
        using var browser = await DashboardHttp.OpenAsync(server);
        for (var i = 0; i < 9; i++) await browser.PostLoginAsync("jade", "wrong-password");
        await browser.PostLoginAsync("jade", Password);
        Assert.True(browser.IsSignedIn);

        using var other = await DashboardHttp.OpenAsync(server);
        for (var i = 0; i < 9; i++) await other.PostLoginAsync("jade", "wrong-password");
        await other.PostLoginAsync("jade", Password);
        Assert.True(other.IsSignedIn);
    }

    [Fact]
    public async Task SignInAttempts_AreAudited_ButAnUnknownUsernameIsNeverWrittenDown()
    {
        using var server = new FleetServer();
        await server.Get<IAccountAdmin>().CreateUserAsync("lena", Password, Roles.Viewer);
        using var browser = await DashboardHttp.OpenAsync(server);
        await browser.PostLoginAsync("lena", "wrong-password");
        await browser.PostLoginAsync("maybe-my-password-9", "wrong-password");
        await browser.PostLoginAsync("lena", Password);

        var page = await Eventually.Until(() => server.Get<Fleet.Web.Audit.IAuditLog>().SearchAsync("sign-in", 10, 0),
            p => p.Total == 3, "three sign-in records");
        var oldestFirst = page.Items.Reverse().ToList();
        Assert.Equal(["lena", "(unknown username)", "lena"], oldestFirst.Select(a => a.Actor));
        Assert.StartsWith("error", oldestFirst[0].Outcome);
        Assert.Equal("success", oldestFirst[2].Outcome);
        Assert.All(oldestFirst, a => Assert.Equal("127.0.0.1", a.Address));
        Assert.DoesNotContain(page.Items, a => a.Target.Contains("maybe-my-password") || a.Actor.Contains("maybe-my-password"));
    }

    [Fact]
    public async Task LoginAttempts_BeyondTheLimitPerAddress_Get429()
    {
        using var server = new FleetServer(new Dictionary<string, string?>
        {
            ["Fleet:Security:LoginRateLimit:PermitLimit"] = "3",
            ["Fleet:Security:LoginRateLimit:WindowSeconds"] = "60",
        });
        using var browser = await DashboardHttp.OpenAsync(server);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await browser.PostLoginAsync("nobody", "wrong-password")).StatusCode);

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
        // Even the right password waits for the window: the limit is on the address, not on the answer.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.PostLoginAsync("admin", FleetServer.AdminPassword)).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/fleet/status", "detail")]
    [InlineData("/api/job_invocations", "error")]
    [InlineData("/v0/stageruns", "message")]
    public async Task BadApiTokens_BeyondTheLimitPerAddress_Get429InTheFamilyShape(string path, string errorField)
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Security:ApiAuthFailureLimit:PermitLimit"] = "3" });
        using var guesser = server.Api("flt_guess");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await guesser.GetAsync(path);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull(last!.Headers.RetryAfter);
        var body = JsonDocument.Parse(await last.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.TryGetProperty(errorField, out _), body.ToString());
    }

    [Fact]
    public async Task ValidTokens_DoNotSpendTheFailureAllowance()
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Security:ApiAuthFailureLimit:PermitLimit"] = "3" });
        using var api = server.Api();
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/fleet/status")).StatusCode);
    }

    [Fact]
    public async Task KnownAndUnknownUsernames_TakeComparableTime()
    {
        using var server = new FleetServer(new Dictionary<string, string?>
        {
            ["Fleet:Security:LoginRateLimit:PermitLimit"] = "1000",
            // Enough failures for the whole run, so the known user stays on the wrong-password path.
            ["Fleet:Security:MaxFailedSignIns"] = "1000",
        });
        await server.Get<IAccountAdmin>().CreateUserAsync("kate", Password, Roles.Viewer);
        using var browser = await DashboardHttp.OpenAsync(server);
        await browser.PostLoginAsync("warm-up", "wrong-password");

        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            // Interleaved, so a burst of load on the shared machine hits both sides alike.
            known.Add(await TimeAsync(() => browser.PostLoginAsync("kate", "wrong-password")));
            unknown.Add(await TimeAsync(() => browser.PostLoginAsync($"nobody-{i}", "wrong-password")));
        }

        var (knownMedian, unknownMedian) = (Median(known), Median(unknown));
        Assert.True(knownMedian < unknownMedian * 3 && unknownMedian < knownMedian * 3,
            $"median sign-in time: known {knownMedian:0.0} ms, unknown {unknownMedian:0.0} ms");
        // The work itself is real: a PBKDF2 verification takes milliseconds, not microseconds.
        Assert.True(unknownMedian > 5, $"unknown users answered in {unknownMedian:0.0} ms: no password work was done");
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        using var response = await send();
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
