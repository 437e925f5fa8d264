using System.Net;
using System.Text.RegularExpressions;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A browser without a browser: a cookie jar and the login page's antiforgery token, for tests that
/// check what the dashboard's cookie can and cannot do over plain HTTP. Redirects are not followed,
/// so tests see where the server sends the client.
/// </summary>
public sealed partial class DashboardHttp : IDisposable
{
    private DashboardHttp(FleetServer server)
    {
        Cookies = new CookieContainer();
        Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = server.Address };
    }

    public HttpClient Client { get; }
    public CookieContainer Cookies { get; }
    public string AntiforgeryToken { get; private set; } = "";

    /// <summary>Fetches the login page (its antiforgery cookie and token) without signing in.</summary>
    public static async Task<DashboardHttp> OpenAsync(FleetServer server)
    {
        var http = new DashboardHttp(server);
        await http.ReadTokenAsync("/login");
        return http;
    }

    public static async Task<DashboardHttp> SignInAsync(FleetServer server, string username, string password)
    {
        var http = await OpenAsync(server);
        var response = await http.PostLoginAsync(username, password);
        if (!http.IsSignedIn) throw new InvalidOperationException($"Sign-in as {username} failed: {(int)response.StatusCode} → {response.Headers.Location}");
        // Antiforgery tokens are bound to the signed-in user: take the one the layout's sign-out form carries.
        await http.ReadTokenAsync("/");
        return http;
    }

    private async Task ReadTokenAsync(string path)
    {
        var html = await Client.GetStringAsync(path);
        AntiforgeryToken = TokenField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"{path} has no antiforgery token.");
    }

    public Task<HttpResponseMessage> PostLoginAsync(string username, string password) =>
        Client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = AntiforgeryToken,
        }));

    public bool IsSignedIn => Cookies.GetAllCookies().Any(c => c.Name == "fleet.auth" && !c.Expired && c.Value.Length > 0);

    /// <summary>The status of a dashboard page, and where a redirect points ("" when none).</summary>
    public async Task<(HttpStatusCode Status, string Location)> GetPageAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return (response.StatusCode, response.Headers.Location?.ToString() ?? "");
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
