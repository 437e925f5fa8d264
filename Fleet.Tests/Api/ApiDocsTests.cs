using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Api;

public sealed class ApiDocsTests : IDisposable
{
    private readonly FleetServer _server = new();

    [Fact]
    public async Task ApiDocs_ServesTheInteractiveReference_FromTheAppItself_OverTheOpenApiDocument()
    {
        using var anonymous = _server.Api(token: null);
        var page = await anonymous.GetStringAsync("/api-docs/");
        Assert.Contains("<title>Fleet API</title>", page);
        var scripts = Regex.Matches(page, "<script[^>]* src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, src => Assert.DoesNotMatch("^(https?:)?//", src));
        foreach (var script in scripts)
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api-docs/" + script)).StatusCode);
        Assert.Contains("\"openapi/v1.json\"", page);

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/api/job_invocations", out _));
    }

    [Fact]
    public async Task Favicon_IsServed()
    {
        using var anonymous = _server.Api(token: null);
        var html = await anonymous.GetStringAsync("/login");
        var href = Regex.Match(html, "<link rel=\"icon\"[^>]* href=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("favicon", href.TrimStart('/'));
        var icon = await anonymous.GetAsync("/" + href.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _server.Dispose();
}
